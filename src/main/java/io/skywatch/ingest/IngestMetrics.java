package io.skywatch.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
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
        /** Valid, but dropped by one of its stream's filters. */
        FILTERED,
        OVERLOADED
    }

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Counts {@code events} as accepted when {@code publish} succeeds and as overloaded when it fails. */
    public <T> Uni<T> recordPublish(String stream, int events, Uni<T> publish) {
        return publish.onItem()
                .invoke(() -> record(stream, Outcome.ACCEPTED, events))
                .onFailure()
                .invoke(() -> record(stream, Outcome.OVERLOADED, events));
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
