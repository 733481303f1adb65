package io.skywatch.streams;

import io.skywatch.kafka.RecordSender;
import io.skywatch.observability.PipelineMetrics;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Publishes to a run-time stream's topics, keyed by the event's key; completes on the broker's ack. */
@ApplicationScoped
public class StreamPublisher {

    /** Outgoing channel for every run-time stream topic (each record names its topic). */
    public static final String OUTGOING = "streams-out";

    /** A record to publish. */
    record Outgoing(String key, String json, String reason) {}

    private final RecordSender sender;

    /**
     * @param channel not sent through (see {@link RecordSender}), but the connector only creates a channel's
     *     producer when something feeds the channel
     */
    public StreamPublisher(
            @Channel(OUTGOING) MutinyEmitter<String> channel,
            KafkaClientService kafkaClients,
            PipelineMetrics metrics) {
        this.sender = new RecordSender(kafkaClients, OUTGOING, metrics.produceTimer("streams"));
    }

    /** Completes when the broker has acknowledged every record (acks=all); fails if any was not. */
    Uni<Void> publish(String topic, List<Outgoing> records) {
        return sender.sendAll(records.stream()
                .map(record -> {
                    RecordHeaders headers = new RecordHeaders();
                    if (record.reason() != null) {
                        headers.add("filtered-reason", record.reason().getBytes(StandardCharsets.UTF_8));
                    }
                    return new ProducerRecord<>(topic, null, record.key(), record.json(), headers);
                })
                .toList());
    }
}
