package io.skywatch.observability;

import org.jboss.logging.MDC;

/**
 * Structured fields for a log line written outside a request (consumers, sweepers): {@code stream}, and where
 * one channel or station is concerned, {@code channel}. JSON logs carry them in {@code mdc}, text logs print them.
 */
public final class LogFields {

    private LogFields() {}

    /** Writes a log line with these fields set, then removes them (consumer threads are shared). */
    public static void with(String stream, String channel, Runnable log) {
        MDC.put("stream", stream);
        if (channel != null) {
            MDC.put("channel", channel);
        }
        try {
            log.run();
        } finally {
            MDC.remove("stream");
            MDC.remove("channel");
        }
    }
}
