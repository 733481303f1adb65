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
 * Fed by the stream's rebalance listener and by its consumer after each stored batch.
 */
public final class PartitionClocks {

    private final String incomingChannel;
    private final Duration quietBeforeWallClock;
    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
    /** Per partition: the latest acceptance time processed, and when (nanoTime) it was processed. */
    private final Map<Integer, long[]> processed = new ConcurrentHashMap<>();
    /** Per partition: the highest offset whose batch has been stored and sequenced. */
    private final Map<Integer, Long> processedOffsets = new ConcurrentHashMap<>();
    /** Per partition: when (nanoTime) this replica got it. */
    private final Map<Integer, Long> assignedAt = new ConcurrentHashMap<>();

    private volatile int partitionCount;

    /**
     * @param incomingChannel the SmallRye channel consuming the stream
     * @param quietBeforeWallClock how long a newly assigned partition must stay quiet before its clock is the
     *     wall clock (its first batches may still be on their way through the connector)
     */
    public PartitionClocks(String incomingChannel, Duration quietBeforeWallClock) {
        this.incomingChannel = incomingChannel;
        this.quietBeforeWallClock = quietBeforeWallClock;
    }

    public void assigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        long now = System.nanoTime();
        partitions.forEach(partition -> {
            owned.add(partition.partition());
            assignedAt.put(partition.partition(), now);
            partitionCount = consumer.partitionsFor(partition.topic()).size();
        });
    }

    public void revoked(Collection<TopicPartition> partitions) {
        partitions.forEach(partition -> {
            owned.remove(partition.partition());
            processed.remove(partition.partition());
            processedOffsets.remove(partition.partition());
        });
    }

    public boolean ownsAny() {
        return !owned.isEmpty();
    }

    /** True when the key's records land on a partition this replica consumes (Kafka's key partitioner). */
    public boolean owns(String key) {
        int partition = partitionOf(key);
        return partition >= 0 && owned.contains(partition);
    }

    private int partitionOf(String key) {
        int count = partitionCount;
        return count == 0 ? -1 : BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), count);
    }

    /** Called once a batch is stored and sequenced, with its latest acceptance time and offset per partition. */
    public void processed(Map<Integer, Long> latestByPartition, Map<Integer, Long> lastOffsets) {
        lastOffsets.forEach((partition, offset) -> processedOffsets.merge(partition, offset, Math::max));
        long at = System.nanoTime();
        latestByPartition.forEach((partition, millis) -> processed.merge(
                partition,
                new long[] {millis, at},
                (old, fresh) -> fresh[0] >= old[0] ? fresh : new long[] {old[0], at}));
    }

    /**
     * Per key, the clock of its partition if this replica owns it and has caught up with it; empty otherwise.
     * Caught up means more than "no lag": the connector polls ahead and queues records, so the consumer's
     * position must also be just past what has been stored and sequenced (or, before anything was processed
     * here, what the group has committed: commits only follow processing).
     */
    public <V> Uni<Function<String, Optional<Instant>>> caughtUpClocks(KafkaClientService kafkaClients) {
        Function<Consumer<String, V>, Set<Integer>> caughtUp = consumer -> {
            Set<TopicPartition> assigned = consumer.assignment();
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned, Duration.ofSeconds(1));
            return assigned.stream()
                    .filter(partition -> consumer.currentLag(partition).orElse(Long.MAX_VALUE) == 0)
                    .filter(partition -> {
                        long position = consumer.position(partition, Duration.ofMillis(200));
                        Long processedOffset = processedOffsets.get(partition.partition());
                        OffsetAndMetadata commit = committed.get(partition);
                        return processedOffset != null
                                ? position <= processedOffset + 1
                                : commit != null && position <= commit.offset();
                    })
                    .map(TopicPartition::partition)
                    .collect(Collectors.toSet());
        };
        return kafkaClients
                .<String, V>getConsumer(incomingChannel)
                .runOnPollingThread(caughtUp)
                .map(idle -> key -> {
                    int partition = partitionOf(key);
                    return idle.contains(partition) && owned.contains(partition)
                            ? clockOf(partition)
                            : Optional.empty();
                });
    }

    /**
     * The clock of a caught-up partition: the latest acceptance time processed there, moved on by the wall-clock
     * time since. While a backlog is worked through this stays close to the acceptance times being processed;
     * once the partition is quiet it runs with the wall clock.
     */
    private Optional<Instant> clockOf(int partition) {
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
