package io.skywatch.streams;

import io.skywatch.observability.PipelineMetrics;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Publishes to a run-time stream's topics, keyed by the event's key; completes on the broker's ack. */
@ApplicationScoped
public class StreamPublisher {

    /** Outgoing channel for every run-time stream topic (each record names its topic). */
    public static final String OUTGOING = "streams-out";

    /** A record to publish. */
    record Outgoing(String key, String json, String reason) {}

    private final MutinyEmitter<String> emitter;

    private final PipelineMetrics metrics;

    public StreamPublisher(@Channel(OUTGOING) MutinyEmitter<String> emitter, PipelineMetrics metrics) {
        this.emitter = emitter;
        this.metrics = metrics;
    }

    /** Completes when the broker has acknowledged every record (acks=all); fails if any was not. */
    Uni<Void> publish(String topic, List<Outgoing> records) {
        if (records.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join()
                .all(records.stream()
                        .map(record -> {
                            RecordHeaders headers = new RecordHeaders();
                            if (record.reason() != null) {
                                headers.add("filtered-reason", record.reason().getBytes(StandardCharsets.UTF_8));
                            }
                            return metrics.timeProduce(
                                    "streams",
                                    emitter.sendMessage(Message.of(record.json())
                                            .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                                                    .withTopic(topic)
                                                    .withKey(record.key())
                                                    .withHeaders(headers)
                                                    .build())));
                        })
                        .toList())
                .andCollectFailures()
                .replaceWithVoid();
    }
}
