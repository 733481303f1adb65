package io.skywatch.sensors;

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

/** Publishes accepted readings to the sensors topic, keyed by station so a station stays on one partition. */
@ApplicationScoped
public class SensorPublisher {

    /** Outgoing channel of the sensors raw topic. */
    public static final String OUTGOING = "sensors-out";

    private final SensorReadingCodec codec;
    private final RecordSender sender;
    private final String topic;

    /**
     * @param channel not sent through (a batch goes to the channel's producer in one hand-over, see {@link
     *     RecordSender}), but the connector only creates a channel's producer when something feeds the channel
     */
    public SensorPublisher(
            @Channel(OUTGOING) MutinyEmitter<String> channel,
            KafkaClientService kafkaClients,
            SensorReadingCodec codec,
            PipelineMetrics metrics,
            SkywatchConfig config) {
        this.codec = codec;
        this.sender = new RecordSender(kafkaClients, OUTGOING, metrics.produceTimer(SensorReadingsResource.STREAM));
        this.topic = config.sensors().topic();
    }

    /** Completes when the broker has acknowledged every reading (acks=all); fails if any was not. */
    public Uni<Void> publishAll(List<SensorReading> readings) {
        return sender.sendAll(readings.stream()
                .map(reading -> new ProducerRecord<>(topic, reading.stationId(), codec.write(reading)))
                .toList());
    }
}
