package io.skywatch.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Counts ingested events as {@code skywatch.ingest.events{stream,outcome}}. */
@ApplicationScoped
public class IngestMetrics {

    /** What became of an event offered to the gateway. */
    public enum Outcome {
        ACCEPTED,
        REJECTED,
        OVERLOADED
    }

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(String stream, Outcome outcome, int events) {
        String outcomeTag = outcome.name().toLowerCase(Locale.ROOT);
        counters.computeIfAbsent(
                        stream + '/' + outcomeTag,
                        key -> Counter.builder("skywatch.ingest.events")
                                .description("Events offered to the ingest endpoints, by outcome")
                                .tag("stream", stream)
                                .tag("outcome", outcomeTag)
                                .register(registry))
                .increment(events);
    }
}
