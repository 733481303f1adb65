package io.skywatch.observability;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * The pipeline's own timings, by stream ({@code rockets}, {@code sensors}, {@code streams}): how long Kafka takes
 * to acknowledge a produced record, how large and how slow each stored consumer batch is, and how long an event
 * takes from acceptance (its Kafka timestamp) to being stored. Histogram buckets are set in
 * {@link MetricsConfiguration}.
 */
@ApplicationScoped
public class PipelineMetrics {

    public static final String PRODUCE = "skywatch.kafka.produce";
    public static final String STORE_BATCH = "skywatch.store.batch";
    public static final String STORE_BATCH_SIZE = "skywatch.store.batch.size";
    public static final String END_TO_END = "skywatch.pipeline.lag";

    private final MeterRegistry registry;
    private final Map<String, StreamMeters> byStream = new ConcurrentHashMap<>();

    public PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    private record StreamMeters(Timer produce, Timer storeBatch, DistributionSummary batchSize, Timer endToEnd) {}

    private StreamMeters meters(String stream) {
        return byStream.computeIfAbsent(
                stream,
                s -> new StreamMeters(
                        Timer.builder(PRODUCE)
                                .description(
                                        "Time from handing a record to the Kafka producer to the broker's acknowledgement")
                                .tag("stream", s)
                                .register(registry),
                        Timer.builder(STORE_BATCH)
                                .description("Time to store and sequence one consumer batch in MongoDB")
                                .tag("stream", s)
                                .register(registry),
                        DistributionSummary.builder(STORE_BATCH_SIZE)
                                .description("Records in one consumer batch")
                                .baseUnit("records")
                                .tag("stream", s)
                                .register(registry),
                        Timer.builder(END_TO_END)
                                .description(
                                        "Time from an event's acceptance (202, Kafka timestamp) to it being stored")
                                .tag("stream", s)
                                .register(registry)));
    }

    /** The timer of {@link #PRODUCE}: a record from hand-over to the producer until the broker acknowledged it. */
    public Timer produceTimer(String stream) {
        return meters(stream).produce();
    }

    /** Records that a consumer batch, started at {@code startNanos}, is stored. */
    public void stored(String stream, ConsumerRecords<?, ?> records, long startNanos) {
        StreamMeters meters = meters(stream);
        meters.storeBatch().record(System.nanoTime() - startNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        meters.batchSize().record(records.count());
        long now = System.currentTimeMillis();
        for (ConsumerRecord<?, ?> record : records) {
            // Clocks of other replicas may run a little ahead: a negative lag is recorded as none.
            meters.endToEnd().record(Duration.ofMillis(Math.max(0, now - record.timestamp())));
        }
    }
}
