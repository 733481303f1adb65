package io.skywatch.sensors;

import io.skywatch.observability.PipelineMetrics;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Publishes accepted readings to the sensors topic, keyed by station so a station stays on one partition. */
@ApplicationScoped
public class SensorPublisher {

    /** Outgoing channel of the sensors raw topic. */
    public static final String OUTGOING = "sensors-out";

    private final MutinyEmitter<String> emitter;
    private final SensorReadingCodec codec;
    private final PipelineMetrics metrics;

    public SensorPublisher(
            @Channel(OUTGOING) MutinyEmitter<String> emitter, SensorReadingCodec codec, PipelineMetrics metrics) {
        this.emitter = emitter;
        this.codec = codec;
        this.metrics = metrics;
    }

    /** Completes when the broker has acknowledged every reading (acks=all); fails if any was not. */
    public Uni<Void> publishAll(List<SensorReading> readings) {
        List<Uni<Void>> sends = readings.stream()
                .map(reading -> metrics.timeProduce(
                        "sensors",
                        emitter.sendMessage(Message.of(codec.write(reading))
                                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                                        .withKey(reading.stationId())
                                        .build()))))
                .toList();
        return Uni.join().all(sends).andCollectFailures().replaceWithVoid();
    }
}
