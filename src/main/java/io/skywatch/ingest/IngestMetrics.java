package io.skywatch.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/** Counts ingested events as {@code skywatch.ingest.events{stream,outcome}}. */
@ApplicationScoped
public class IngestMetrics {

    /** What became of an event offered to the gateway. */
    public enum Outcome {
        ACCEPTED, REJECTED, OVERLOADED;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final MeterRegistry registry;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(String stream, Outcome outcome, int events) {
        Counter.builder("skywatch.ingest.events")
                .description("Events offered to the ingest endpoints, by outcome")
                .tag("stream", stream)
                .tag("outcome", outcome.tag())
                .register(registry)
                .increment(events);
    }
}
