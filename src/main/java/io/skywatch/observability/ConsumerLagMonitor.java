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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

    private final KafkaClientService kafkaClients;
    private final Map<String, ConsumerProgress> progress = new LinkedHashMap<>();
    private final Map<String, MultiGauge> lagGauges = new LinkedHashMap<>();
    private final Map<String, Long> streamBacklogs = new ConcurrentHashMap<>();

    public ConsumerLagMonitor(KafkaClientService kafkaClients, SkywatchConfig config, MeterRegistry registry) {
        this.kafkaClients = kafkaClients;
        long now = System.nanoTime();
        CHANNELS.keySet().forEach(stream -> {
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
        return consumer.runOnPollingThread(ConsumerLagMonitor::samples)
                .ifNoItem()
                .after(BROKER_TIMEOUT.multipliedBy(3))
                .fail()
                .invoke(sampled -> {
                    record(stream, sampled.owned());
                    if (sampled.wholeBacklog() >= 0) {
                        streamBacklogs.put(stream, sampled.wholeBacklog());
                    }
                })
                .onFailure()
                .invoke(failure -> Log.debugf("Lag of %s not sampled: %s", stream, failure.toString()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /**
     * @param owned the partitions this replica owns
     * @param wholeBacklog records not yet committed over all partitions of the subscribed topics; -1 if unknown
     */
    private record Sampled(List<ConsumerProgress.Sample> owned, long wholeBacklog) {}

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
            return new Sampled(List.of(), -1);
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
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata commit = committed.get(partition);
            long from = commit != null ? commit.offset() : starts.getOrDefault(partition, 0L);
            ConsumerProgress.Sample sample =
                    new ConsumerProgress.Sample(partition, ends.getOrDefault(partition, from), from);
            wholeBacklog += sample.lag();
            if (assigned.contains(partition)) {
                owned.add(sample);
            }
        }
        return new Sampled(owned, wholeBacklog);
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
     * whichever replica owns them.
     */
    public long wholeBacklog(String stream) {
        return streamBacklogs.getOrDefault(stream, 0L);
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
