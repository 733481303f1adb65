package io.skywatch.sequencing;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;

/**
 * Which partitions of a keyed stream this replica consumes, how far it has processed each, and the clock a
 * sweeper may judge time-outs by: only for partitions this replica owns and has caught up with, since a
 * backlog (in Kafka or already polled and queued in the connector) may still hold what a channel waits for.
 * Fed by the stream's rebalance listener and by its consumer after each stored batch. One consumer may read
 * several topics (the run-time streams are read by pattern), so partitions are tracked with their topic.
 */
public final class PartitionClocks {

    /** The clocks of the partitions that were caught up when they were taken. */
    public final class Snapshot {
        private final Set<TopicPartition> caughtUp;

        private Snapshot(Set<TopicPartition> caughtUp) {
            this.caughtUp = caughtUp;
        }

        /** The clock of the partition the key's records land on, if caught up and owned. */
        public Optional<Instant> forKey(String topic, String key) {
            int partition = partitionOf(topic, key);
            return partition < 0 ? Optional.empty() : forPartition(new TopicPartition(topic, partition));
        }

        public Optional<Instant> forPartition(TopicPartition partition) {
            return caughtUp.contains(partition) && owned.contains(partition) ? clockOf(partition) : Optional.empty();
        }

        /** How long ago this replica last processed a record of the partition (since assignment if never). */
        public Duration quietFor(TopicPartition partition) {
            long[] last = processed.get(partition);
            Long since = last != null ? Long.valueOf(last[1]) : assignedAt.get(partition);
            return since == null ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - since);
        }

        public Set<TopicPartition> partitions() {
            return caughtUp;
        }
    }

    private final String incomingChannel;
    private final String defaultTopic;
    private final Duration quietBeforeWallClock;
    private final Set<TopicPartition> owned = ConcurrentHashMap.newKeySet();
    /** Per partition: the latest acceptance time processed, and when (nanoTime) it was processed. */
    private final Map<TopicPartition, long[]> processed = new ConcurrentHashMap<>();
    /** Per partition: the highest offset whose batch has been stored and sequenced. */
    private final Map<TopicPartition, Long> processedOffsets = new ConcurrentHashMap<>();
    /** Per partition: when (nanoTime) this replica got it. */
    private final Map<TopicPartition, Long> assignedAt = new ConcurrentHashMap<>();

    private final Map<String, Integer> partitionCounts = new ConcurrentHashMap<>();

    /**
     * @param incomingChannel the SmallRye channel consuming the stream
     * @param defaultTopic the topic of a single-topic stream, which the key- and partition-number methods use;
     *     null for a consumer of several topics
     * @param quietBeforeWallClock how long a newly assigned partition must stay quiet before its clock is the
     *     wall clock (its first batches may still be on their way through the connector)
     */
    public PartitionClocks(String incomingChannel, String defaultTopic, Duration quietBeforeWallClock) {
        this.incomingChannel = incomingChannel;
        this.defaultTopic = defaultTopic;
        this.quietBeforeWallClock = quietBeforeWallClock;
    }

    public void assigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        long now = System.nanoTime();
        partitions.forEach(partition -> {
            owned.add(partition);
            assignedAt.put(partition, now);
            partitionCounts.put(
                    partition.topic(), consumer.partitionsFor(partition.topic()).size());
        });
    }

    public void revoked(Collection<TopicPartition> partitions) {
        partitions.forEach(partition -> {
            owned.remove(partition);
            processed.remove(partition);
            processedOffsets.remove(partition);
        });
    }

    public boolean ownsAny() {
        return !owned.isEmpty();
    }

    /** The partitions of a topic this replica consumes. */
    public Set<TopicPartition> owned(String topic) {
        return owned.stream().filter(p -> p.topic().equals(topic)).collect(Collectors.toSet());
    }

    /** True when the key's records land on a partition this replica consumes (Kafka's key partitioner). */
    public boolean owns(String key) {
        int partition = partitionOf(defaultTopic, key);
        return partition >= 0 && owned.contains(new TopicPartition(defaultTopic, partition));
    }

    private int partitionOf(String topic, String key) {
        Integer count = partitionCounts.get(topic);
        return count == null || count == 0
                ? -1
                : BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), count);
    }

    /** Called once a batch of the default topic is stored and sequenced, per partition number. */
    public void processed(Map<Integer, Long> latestByPartition, Map<Integer, Long> lastOffsets) {
        processed(defaultTopic, latestByPartition, lastOffsets);
    }

    /** Called once a batch is stored and sequenced, with its latest acceptance time and offset per partition. */
    public void processed(String topic, Map<Integer, Long> latestByPartition, Map<Integer, Long> lastOffsets) {
        lastOffsets.forEach(
                (partition, offset) -> processedOffsets.merge(new TopicPartition(topic, partition), offset, Math::max));
        long at = System.nanoTime();
        latestByPartition.forEach((partition, millis) -> processed.merge(
                new TopicPartition(topic, partition),
                new long[] {millis, at},
                (old, fresh) -> fresh[0] >= old[0] ? fresh : new long[] {old[0], at}));
    }

    /** Per key of the default topic, the clock of its partition if owned and caught up; empty otherwise. */
    public <V> Uni<Function<String, Optional<Instant>>> caughtUpClocks(KafkaClientService kafkaClients) {
        return this.<V>caughtUp(kafkaClients).map(snapshot -> key -> snapshot.forKey(defaultTopic, key));
    }

    /**
     * The partitions this replica owns and has caught up with, read on the consumer's polling thread. Caught up
     * means more than "no lag": the connector polls ahead and queues records, so the consumer's position must
     * also be just past what has been stored and sequenced (or, before anything was processed here, what the
     * group has committed: commits only follow processing).
     */
    public <V> Uni<Snapshot> caughtUp(KafkaClientService kafkaClients) {
        Function<Consumer<String, V>, Set<TopicPartition>> caughtUp = consumer -> {
            Set<TopicPartition> assigned = consumer.assignment();
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned, Duration.ofSeconds(1));
            return assigned.stream()
                    .filter(partition -> consumer.currentLag(partition).orElse(Long.MAX_VALUE) == 0)
                    .filter(partition -> {
                        long position = consumer.position(partition, Duration.ofMillis(200));
                        Long processedOffset = processedOffsets.get(partition);
                        OffsetAndMetadata commit = committed.get(partition);
                        return processedOffset != null
                                ? position <= processedOffset + 1
                                : commit != null && position <= commit.offset();
                    })
                    .collect(Collectors.toSet());
        };
        return kafkaClients
                .<String, V>getConsumer(incomingChannel)
                .runOnPollingThread(caughtUp)
                .map(Snapshot::new);
    }

    /**
     * The clock of a caught-up partition: the latest acceptance time processed there, moved on by the wall-clock
     * time since. While a backlog is worked through this stays close to the acceptance times being processed;
     * once the partition is quiet it runs with the wall clock.
     */
    private Optional<Instant> clockOf(TopicPartition partition) {
        long[] last = processed.get(partition);
        if (last != null) {
            return Optional.of(Instant.ofEpochMilli(last[0]).plusNanos(System.nanoTime() - last[1]));
        }
        Long since = assignedAt.get(partition);
        return since != null && System.nanoTime() - since >= quietBeforeWallClock.toNanos()
                ? Optional.of(Instant.now())
                : Optional.empty();
    }
}
