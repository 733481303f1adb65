package io.skywatch.alerts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Counts alert transitions as {@code skywatch.alerts{transition,severity}}. */
@ApplicationScoped
public class AlertMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public AlertMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Records a stored alert change. */
    public void record(AlertTracker.Change change) {
        String transition = change.transition().name().toLowerCase(Locale.ROOT);
        Severity level = change.alert().severity;
        String severity = level == null ? "unknown" : level.name().toLowerCase(Locale.ROOT);
        counters.computeIfAbsent(
                        transition + '/' + severity,
                        key -> Counter.builder("skywatch.alerts")
                                .description("Alert transitions")
                                .tag("transition", transition)
                                .tag("severity", severity)
                                .register(registry))
                .increment();
    }
}
