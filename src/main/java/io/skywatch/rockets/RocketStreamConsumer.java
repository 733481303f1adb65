package io.skywatch.rockets;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.skywatch.deadletters.DeadLetterSink;
import io.skywatch.kafka.ConsumerThreads;
import io.skywatch.observability.LogFields;
import io.skywatch.observability.PipelineMetrics;
import io.skywatch.sequencing.StreamClock;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes the rockets topic in batches. A batch is acknowledged (so its offsets may be committed) only
 * after every event in it is durable in the event log and every channel it touched has been sequenced;
 * until then failures (e.g. Mongo unreachable) are retried with back-off, never skipped. Records that
 * cannot be read go to the dead-letter topic so they never hold their partition up.
 */
@ApplicationScoped
public class RocketStreamConsumer {

    /** Incoming channel of the rockets raw topic. */
    public static final String INCOMING = "rockets-in";
    /** Outgoing channel of the rockets dead-letter topic. */
    public static final String DEAD_LETTERS = "rockets-dlq";

    private final ConsumerThreads consumerThreads;
    private final RocketMessageCodec codec;
    private final RocketEventLog eventLog;
    private final RocketSequencer sequencer;
    private final RocketPartitions partitions;
    private final PipelineMetrics pipelineMetrics;
    private final DeadLetterSink deadLetters;

    public RocketStreamConsumer(
            RocketMessageCodec codec,
            RocketEventLog eventLog,
            RocketSequencer sequencer,
            @Identifier(RocketPartitions.LISTENER) RocketPartitions partitions,
            @Channel(DEAD_LETTERS) MutinyEmitter<byte[]> deadLetters,
            MeterRegistry registry,
            PipelineMetrics pipelineMetrics,
            ConsumerThreads consumerThreads) {
        this.consumerThreads = consumerThreads;
        this.codec = codec;
        this.eventLog = eventLog;
        this.sequencer = sequencer;
        this.partitions = partitions;
        this.deadLetters = new DeadLetterSink(deadLetters, registry, "rockets");
        this.pipelineMetrics = pipelineMetrics;
    }

    @Incoming(INCOMING)
    public Uni<Void> consume(ConsumerRecords<String, byte[]> records) {
        return consumerThreads.run("rockets", () -> store(records));
    }

    private Uni<Void> store(ConsumerRecords<String, byte[]> records) {
        long startNanos = System.nanoTime();
        List<RocketEvent> events = new ArrayList<>(records.count());
        List<Uni<Void>> poisonPills = new ArrayList<>();
        StreamClock clock = new StreamClock();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                RocketEvent event = read(record);
                events.add(event);
                clock.saw(event.channel, record);
            } catch (RuntimeException unreadable) {
                poisonPills.add(deadLetters.send(record, unreadable));
            }
        }
        return Uni.join()
                .all(deadLettersOrNothing(poisonPills))
                .andFailFast()
                .chain(() -> eventLog.storeAll(events))
                .chain(() -> sequence(events, clock))
                .invoke(() -> partitions.processed(clock.latestByPartition(), clock.lastOffsetByPartition()))
                .invoke(() -> pipelineMetrics.stored("rockets", records, startNanos))
                .onFailure()
                .invoke(failure -> LogFields.with(
                        "rockets",
                        null,
                        () -> Log.warnf(
                                "Rockets batch of %d records failed, retrying: %s",
                                records.count(), failure.toString())))
                .onFailure()
                .retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5))
                .indefinitely();
    }

    private RocketEvent read(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            throw new IllegalArgumentException("record has no value");
        }
        RocketMessage message = codec.read(record.value());
        if (!message.channel().equals(record.key())) {
            // A record keyed differently may sit on another channel's partition: ordering would be lost.
            throw new IllegalArgumentException(
                    "record key '" + record.key() + "' differs from metadata.channel '" + message.channel() + "'");
        }
        return RocketEvent.of(message, Instant.ofEpochMilli(record.timestamp()));
    }

    private Uni<Void> sequence(List<RocketEvent> events, StreamClock clock) {
        Map<String, List<RocketEvent>> byChannel = new LinkedHashMap<>();
        events.forEach(event ->
                byChannel.computeIfAbsent(event.channel, c -> new ArrayList<>()).add(event));
        return sequencer.offerAll(byChannel, clock::now);
    }

    private static List<Uni<Void>> deadLettersOrNothing(List<Uni<Void>> poisonPills) {
        return poisonPills.isEmpty() ? List.of(Uni.createFrom().voidItem()) : poisonPills;
    }
}
