package io.skywatch.rockets;

import io.skywatch.config.SkywatchConfig;
import io.skywatch.kafka.RecordSender;
import io.skywatch.observability.PipelineMetrics;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Publishes accepted messages to the rockets topic, keyed by channel so a channel stays on one partition. */
@ApplicationScoped
public class RocketPublisher {

    /** Outgoing channel of the rockets raw topic. */
    public static final String OUTGOING = "rockets-out";

    private final RocketMessageCodec codec;
    private final RecordSender sender;
    private final String topic;

    /**
     * @param channel not sent through (see {@link RecordSender}), but the connector only creates a channel's
     *     producer when something feeds the channel
     */
    public RocketPublisher(
            @Channel(OUTGOING) MutinyEmitter<String> channel,
            KafkaClientService kafkaClients,
            RocketMessageCodec codec,
            PipelineMetrics metrics,
            SkywatchConfig config) {
        this.codec = codec;
        this.sender = new RecordSender(kafkaClients, OUTGOING, metrics.produceTimer("rockets"));
        this.topic = config.rockets().topic();
    }

    /** Completes when the broker has acknowledged the record (acks=all), fails if it did not. */
    public Uni<Void> publish(RocketMessage message) {
        return sender.sendAll(List.of(new ProducerRecord<>(topic, message.channel(), codec.write(message))));
    }
}
