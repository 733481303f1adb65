package io.skywatch.sensors;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.skywatch.config.SkywatchConfig;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes the sensors topic in batches, with the rockets consumer's guarantees: a batch is acknowledged
 * (its offsets may be committed) only once its readings are stored and every station it touched has been
 * updated; failures are retried, unreadable records are dead-lettered.
 */
@ApplicationScoped
public class SensorStreamConsumer {

    /** Incoming channel of the sensors raw topic. */
    public static final String INCOMING = "sensors-in";
    /** Outgoing channel of the sensors dead-letter topic. */
    public static final String DEAD_LETTERS = "sensors-dlq";

    private final ConsumerThreads consumerThreads;
    private final SensorReadingCodec codec;
    private final SensorStore store;
    private final StationSequencer sequencer;
    private final SensorPartitions partitions;
    private final PipelineMetrics pipelineMetrics;
    private final DeadLetterSink deadLetters;
    private final boolean autoRegister;
    /** Stations this replica registered or saw registered: spares a write per reading. */
    private final Set<String> knownStations = ConcurrentHashMap.newKeySet();

    public SensorStreamConsumer(
            SensorReadingCodec codec,
            SensorStore store,
            StationSequencer sequencer,
            @Channel(DEAD_LETTERS) MutinyEmitter<byte[]> deadLetters,
            MeterRegistry registry,
            PipelineMetrics pipelineMetrics,
            SkywatchConfig config,
            @Identifier(SensorPartitions.LISTENER) SensorPartitions partitions,
            ConsumerThreads consumerThreads) {
        this.consumerThreads = consumerThreads;
        this.partitions = partitions;
        this.codec = codec;
        this.store = store;
        this.sequencer = sequencer;
        this.deadLetters = new DeadLetterSink(deadLetters, registry, "sensors");
        this.pipelineMetrics = pipelineMetrics;
        this.autoRegister = config.sensors().autoRegister();
    }

    @Incoming(INCOMING)
    public Uni<Void> consume(ConsumerRecords<String, byte[]> records) {
        return consumerThreads.run("sensors", () -> store(records));
    }

    private Uni<Void> store(ConsumerRecords<String, byte[]> records) {
        long startNanos = System.nanoTime();
        List<StoredReading> readings = new ArrayList<>(records.count());
        List<Uni<Void>> work = new ArrayList<>();
        StreamClock clock = new StreamClock();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                StoredReading reading = read(record);
                readings.add(reading);
                clock.saw(reading.stationId, record);
            } catch (RuntimeException unreadable) {
                work.add(deadLetters.send(record, unreadable));
            }
        }
        Map<String, List<StoredReading>> byStation = new LinkedHashMap<>();
        readings.forEach(r ->
                byStation.computeIfAbsent(r.stationId, s -> new ArrayList<>()).add(r));
        work.add(store.storeAll(readings));
        return Uni.join()
                .all(work)
                .andFailFast()
                .chain(() -> registerNewStations(byStation.keySet()))
                .chain(() -> sequencer.offerAll(byStation, clock::now))
                .invoke(() -> partitions.processed(clock.latestByPartition(), clock.lastOffsetByPartition()))
                .invoke(() -> pipelineMetrics.stored("sensors", records, startNanos))
                .onFailure()
                .invoke(failure -> LogFields.with(
                        "sensors",
                        null,
                        () -> Log.warnf(
                                "Sensors batch of %d records failed, retrying: %s",
                                records.count(), failure.toString())))
                .onFailure()
                .retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5))
                .indefinitely();
    }

    private StoredReading read(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            throw new IllegalArgumentException("record has no value");
        }
        SensorReading reading = codec.read(record.value());
        if (!reading.stationId().equals(record.key())) {
            throw new IllegalArgumentException(
                    "record key '" + record.key() + "' differs from stationId '" + reading.stationId() + "'");
        }
        return StoredReading.of(reading, Instant.ofEpochMilli(record.timestamp()));
    }

    private Uni<Void> registerNewStations(Set<String> stationIds) {
        if (!autoRegister) {
            return Uni.createFrom().voidItem();
        }
        return all(stationIds.stream()
                .filter(id -> !knownStations.contains(id))
                .map(id -> store.registerIfAbsent(id).invoke(() -> knownStations.add(id)))
                .toList());
    }

    private static Uni<Void> all(List<Uni<Void>> unis) {
        return unis.isEmpty()
                ? Uni.createFrom().voidItem()
                : Uni.join().all(unis).andCollectFailures().replaceWithVoid();
    }
}
