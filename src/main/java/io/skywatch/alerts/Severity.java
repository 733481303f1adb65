package io.skywatch.alerts;

/** How serious a breach is. */
public enum Severity {
    INFO,
    WARNING,
    CRITICAL
}
