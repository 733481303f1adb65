package io.skywatch.rockets;

import io.skywatch.observability.PipelineMetrics;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Publishes accepted messages to the rockets topic, keyed by channel so a channel stays on one partition. */
@ApplicationScoped
public class RocketPublisher {

    /** Outgoing channel of the rockets raw topic. */
    public static final String OUTGOING = "rockets-out";

    private final MutinyEmitter<String> emitter;
    private final RocketMessageCodec codec;
    private final PipelineMetrics metrics;

    public RocketPublisher(
            @Channel(OUTGOING) MutinyEmitter<String> emitter, RocketMessageCodec codec, PipelineMetrics metrics) {
        this.emitter = emitter;
        this.codec = codec;
        this.metrics = metrics;
    }

    /** Completes when the broker has acknowledged the record (acks=all), fails if it did not. */
    public Uni<Void> publish(RocketMessage message) {
        Message<String> record = Message.of(codec.write(message))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(message.channel())
                        .build());
        return metrics.timeProduce("rockets", emitter.sendMessage(record));
    }
}
