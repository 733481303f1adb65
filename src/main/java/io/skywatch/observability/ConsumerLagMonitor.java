package io.skywatch.observability;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.skywatch.config.SkywatchConfig;
import io.skywatch.rockets.RocketStreamConsumer;
import io.skywatch.sensors.SensorStreamConsumer;
import io.skywatch.streams.StreamEventConsumer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Samples the backlog of the three consuming pipelines (rockets, sensors, run-time streams) on their polling
 * threads: publishes it as {@code skywatch.consumer.lag{stream,topic,partition}} (partitions this replica owns)
 * and feeds {@link ConsumerProgress}, which {@link PipelineReadiness} asks whether a pipeline is stuck. It also
 * sums the backlog over every partition of the pipeline's topics, owned here or by another replica, which the
 * ingest admission compares with {@code skywatch.ingest.max-backlog}.
 */
@ApplicationScoped
public class ConsumerLagMonitor {

    /** Pipeline name (the {@code stream} tag) → its incoming channel. */
    static final Map<String, String> CHANNELS = Map.of(
            "rockets", RocketStreamConsumer.INCOMING,
            "sensors", SensorStreamConsumer.INCOMING,
            "streams", StreamEventConsumer.INCOMING);

    private static final Duration BROKER_TIMEOUT = Duration.ofSeconds(2);
    /* Five commits at least (they come every second) per rate. */
    private static final Duration STORE_RATE_WINDOW = Duration.ofSeconds(5);
    /* How long a rate the store kept up with counts as one it can keep up with again (StoreRate.catchUpRate). */
    private static final Duration STORE_RATE_MEMORY = Duration.ofMinutes(1);

    private final KafkaClientService kafkaClients;
    private final Map<String, ConsumerProgress> progress = new LinkedHashMap<>();
    private final Map<String, MultiGauge> lagGauges = new LinkedHashMap<>();
    private final Map<String, SampledBacklog> streamBacklogs = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> acknowledged = new LinkedHashMap<>();
    private final Map<String, StoreRate> storeRates = new LinkedHashMap<>();

    public ConsumerLagMonitor(KafkaClientService kafkaClients, SkywatchConfig config, MeterRegistry registry) {
        this.kafkaClients = kafkaClients;
        long now = System.nanoTime();
        CHANNELS.keySet().forEach(stream -> {
            storeRates.put(stream, new StoreRate(STORE_RATE_WINDOW, STORE_RATE_MEMORY));
            acknowledged.put(stream, new LongAdder());
            progress.put(
                    stream,
                    new ConsumerProgress(
                            config.health().stuckAfter(), config.health().unansweredAfter(), now));
            lagGauges.put(
                    stream,
                    MultiGauge.builder("skywatch.consumer.lag")
                            .description("Records in the partition not yet committed by this pipeline")
                            .baseUnit("records")
                            .tag("stream", stream)
                            .register(registry));
            Gauge.builder("skywatch.pipeline.store.rate", () -> storeRate(stream))
                    .description("Records the pipeline stored per second over the last 5 s (all replicas)")
                    .baseUnit("records.per.second")
                    .tag("stream", stream)
                    .register(registry);
            Gauge.builder("skywatch.pipeline.catch.up.rate", () -> catchUpRate(stream))
                    .description("Records per second the ingest backlog bound in time counts on the pipeline to"
                            + " store: the store rate, or the accepted rate when higher and stored at within the"
                            + " last minute")
                    .baseUnit("records.per.second")
                    .tag("stream", stream)
                    .register(registry);
            Gauge.builder("skywatch.pipeline.healthy", () -> problemsOf(stream).isEmpty() ? 1 : 0)
                    .description("1 while the pipeline's consumer answers and no partition is stuck (see readiness)")
                    .tag("stream", stream)
                    .register(registry);
        });
    }

    @Scheduled(
            every = "${skywatch.health.lag-sample-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> sample() {
        return Multi.createFrom()
                .iterable(CHANNELS.entrySet())
                .onItem()
                .transformToUniAndMerge(entry -> sample(entry.getKey(), entry.getValue()))
                .collect()
                .last()
                .replaceWithVoid();
    }

    private Uni<Void> sample(String stream, String channel) {
        KafkaConsumer<Object, Object> consumer;
        try {
            consumer = kafkaClients.getConsumer(channel);
        } catch (RuntimeException notStarted) {
            return Uni.createFrom().voidItem();
        }
        if (consumer == null) {
            return Uni.createFrom().voidItem();
        }
        // Read before the end offsets are: what is acknowledged from here on is added to the sample until the next.
        long acknowledgedBefore = acknowledged.get(stream).sum();
        return consumer.runOnPollingThread(ConsumerLagMonitor::samples)
                .ifNoItem()
                .after(BROKER_TIMEOUT.multipliedBy(3))
                .fail()
                .invoke(sampled -> {
                    record(stream, sampled.owned());
                    if (sampled.wholeBacklog() >= 0) {
                        streamBacklogs.put(stream, new SampledBacklog(sampled.wholeBacklog(), acknowledgedBefore));
                        storeRates.get(stream).sampled(System.nanoTime(), sampled.committed(), acknowledgedBefore);
                    }
                })
                .onFailure()
                .invoke(failure -> Log.debugf("Lag of %s not sampled: %s", stream, failure.toString()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /**
     * @param records records not yet committed over all partitions of the pipeline's topics
     * @param acknowledgedBefore this replica's count of acknowledged records when the sample was taken
     */
    private record SampledBacklog(long records, long acknowledgedBefore) {}

    /**
     * @param owned the partitions this replica owns
     * @param wholeBacklog records not yet committed over all partitions of the subscribed topics; -1 if unknown
     * @param committed every partition's committed offset (where consumption starts if none)
     */
    private record Sampled(
            List<ConsumerProgress.Sample> owned, long wholeBacklog, Map<TopicPartition, Long> committed) {}

    private static Sampled samples(Consumer<Object, Object> consumer) {
        Set<TopicPartition> assigned = consumer.assignment();
        // Ingest on any replica may feed any partition, so admission needs every partition of the topics, not only
        // the owned ones; the group's committed offsets can be read for partitions another member owns.
        Set<TopicPartition> partitions = new HashSet<>(assigned);
        for (String topic : consumer.subscription()) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, BROKER_TIMEOUT);
            if (infos != null) {
                infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
            }
        }
        if (partitions.isEmpty()) {
            // Nothing to measure (a rebalance is under way): still prove the broker answers.
            consumer.listTopics(BROKER_TIMEOUT);
            return new Sampled(List.of(), -1, Map.of());
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, BROKER_TIMEOUT);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(partitions, BROKER_TIMEOUT);
        List<TopicPartition> neverCommitted = partitions.stream()
                .filter(partition -> committed.get(partition) == null)
                .toList();
        Map<TopicPartition, Long> starts =
                neverCommitted.isEmpty() ? Map.of() : consumer.beginningOffsets(neverCommitted, BROKER_TIMEOUT);
        List<ConsumerProgress.Sample> owned = new ArrayList<>(assigned.size());
        long wholeBacklog = 0;
        Map<TopicPartition, Long> froms = new HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata commit = committed.get(partition);
            long from = commit != null ? commit.offset() : starts.getOrDefault(partition, 0L);
            froms.put(partition, from);
            ConsumerProgress.Sample sample =
                    new ConsumerProgress.Sample(partition, ends.getOrDefault(partition, from), from);
            wholeBacklog += sample.lag();
            if (assigned.contains(partition)) {
                owned.add(sample);
            }
        }
        return new Sampled(owned, wholeBacklog, froms);
    }

    private synchronized void record(String stream, List<ConsumerProgress.Sample> samples) {
        progress.get(stream).sampled(samples, System.nanoTime());
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        samples.forEach(sample -> rows.add(MultiGauge.Row.of(
                Tags.of(
                        "topic",
                        sample.partition().topic(),
                        "partition",
                        Integer.toString(sample.partition().partition())),
                sample.lag())));
        lagGauges.get(stream).register(rows, true);
    }

    /** Per pipeline: what is stuck now (empty when all is well), or a reason when sampling went silent. */
    synchronized Map<String, List<String>> problems() {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        progress.keySet().forEach(stream -> problems.put(stream, problemsOf(stream)));
        return problems;
    }

    private synchronized List<String> problemsOf(String stream) {
        long now = System.nanoTime();
        ConsumerProgress tracker = progress.get(stream);
        List<String> found = new ArrayList<>();
        tracker.silentFor(now)
                .ifPresent(silence -> found.add(
                        "no lag sample for " + silence.toSeconds() + " s (consumer or broker not answering)"));
        tracker.stuck(now)
                .forEach(stuck -> found.add(stuck.partition() + ": " + stuck.lag() + " records behind, no commit for "
                        + stuck.since().toSeconds() + " s"));
        return found;
    }

    /**
     * Records of the pipeline not yet committed over all its partitions at the last sample (0 before the first),
     * whichever replica owns them, plus those this replica has had acknowledged by the broker since. Samples come
     * once a second, later when the broker is busy, and an overload adds thousands of records in that time; what
     * was stored meanwhile is not subtracted, so between samples this errs towards more.
     */
    public long wholeBacklog(String stream) {
        SampledBacklog sampled = streamBacklogs.get(stream);
        LongAdder since = acknowledged.get(stream);
        if (sampled == null || since == null) {
            return 0;
        }
        return sampled.records() + since.sum() - sampled.acknowledgedBefore();
    }

    /**
     * Counts {@code records} of {@code stream} the broker acknowledged, which {@link #wholeBacklog} adds until the next
     * sample.
     */
    public void acknowledged(String stream, int records) {
        LongAdder count = acknowledged.get(stream);
        if (count != null) {
            count.add(records);
        }
    }

    /**
     * The pipeline's store rate (records per second, all replicas together) over the 5 s before the last sample; 0
     * before it has been sampled for that long.
     */
    public double storeRate(String stream) {
        StoreRate rate = storeRates.get(stream);
        return rate == null ? 0 : rate.perSecond();
    }

    /**
     * The store rate the ingest backlog bound counts on: {@link #storeRate}, or the rate at which this replica's
     * events are acknowledged when that is higher and the pipeline stored as fast within the last minute (a short
     * stall at a rate it keeps up with is not an overload); 0 before a whole window has been sampled.
     */
    public double catchUpRate(String stream) {
        StoreRate rate = storeRates.get(stream);
        return rate == null ? 0 : rate.catchUpRate();
    }

    /** Backlog per pipeline at the last samples. */
    synchronized Map<String, Long> totalLag() {
        Map<String, Long> totals = new LinkedHashMap<>();
        progress.forEach((stream, tracker) -> totals.put(
                stream,
                tracker.lags().values().stream().mapToLong(Long::longValue).sum()));
        return totals;
    }
}
