package io.skywatch.rockets;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.skywatch.config.SkywatchConfig;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
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
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;

/**
 * Knows which rockets partitions this replica owns, so that the gap sweeper only touches channels whose
 * messages arrive here, and so that a replica taking partitions over picks up the channels that were left
 * waiting for a missing number.
 */
@ApplicationScoped
@Identifier(RocketPartitions.LISTENER)
public class RocketPartitions implements KafkaConsumerRebalanceListener {

    /** Name the incoming channel's {@code consumer-rebalance-listener.name} refers to. */
    public static final String LISTENER = "rockets-rebalance";

    private final RocketSequencer sequencer;
    private final RocketProjections projections;
    private final KafkaClientService kafkaClients;
    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
    /** Per partition: the latest acceptance time processed, and when (nanoTime) it was processed. */
    private final Map<Integer, long[]> processed = new ConcurrentHashMap<>();
    /** Per partition: the highest offset whose batch has been stored and sequenced. */
    private final Map<Integer, Long> processedOffsets = new ConcurrentHashMap<>();
    /** Per partition: when (nanoTime) this replica got it. */
    private final Map<Integer, Long> assignedAt = new ConcurrentHashMap<>();

    private final Duration gapTimeout;
    private volatile int partitionCount;

    public RocketPartitions(
            RocketSequencer sequencer,
            RocketProjections projections,
            KafkaClientService kafkaClients,
            SkywatchConfig config) {
        this.gapTimeout = config.sequencer().gapTimeout();
        this.sequencer = sequencer;
        this.projections = projections;
        this.kafkaClients = kafkaClients;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        long now = System.nanoTime();
        partitions.forEach(partition -> {
            owned.add(partition.partition());
            assignedAt.put(partition.partition(), now);
            partitionCount = consumer.partitionsFor(partition.topic()).size();
        });
        if (!partitions.isEmpty()) {
            // Fire and forget: the poll thread must not wait on Mongo; a failed seed only delays gap timeouts
            // until the channel's next message.
            projections
                    .waiting()
                    .subscribe()
                    .with(
                            found -> found.stream()
                                    .filter(p -> owns(p.channel))
                                    .forEach(p -> sequencer.watch(p.channel, p.waitingSince)),
                            failure -> Log.warnf("Could not load waiting channels: %s", failure.toString()));
        }
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(partition -> {
            owned.remove(partition.partition());
            processed.remove(partition.partition());
            processedOffsets.remove(partition.partition());
        });
        // Another replica may change these channels now; cached state would only cause version conflicts.
        sequencer.forgetCachedState();
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        onPartitionsRevoked(consumer, partitions);
    }

    /** True when the channel's records land on a partition this replica consumes (Kafka's key partitioner). */
    boolean owns(String channel) {
        int partition = partitionOf(channel);
        return partition >= 0 && owned.contains(partition);
    }

    private int partitionOf(String channel) {
        int count = partitionCount;
        return count == 0 ? -1 : BuiltInPartitioner.partitionForKey(channel.getBytes(StandardCharsets.UTF_8), count);
    }

    /** Called once a batch is stored and sequenced, with its latest acceptance time per partition. */
    void processed(Map<Integer, Long> latestByPartition, Map<Integer, Long> lastOffsets) {
        lastOffsets.forEach((partition, offset) -> processedOffsets.merge(partition, offset, Math::max));
        long at = System.nanoTime();
        latestByPartition.forEach((partition, millis) -> processed.merge(
                partition,
                new long[] {millis, at},
                (old, fresh) -> fresh[0] >= old[0] ? fresh : new long[] {old[0], at}));
    }

    /**
     * The clock gap timeouts are checked against on a caught-up partition: the latest acceptance time processed
     * there, moved on by the wall-clock time since. While a backlog (in Kafka or already polled and queued in
     * the connector) is being worked through, this stays close to the acceptance times being processed, so a
     * message still in the backlog is not given up on; once the partition is quiet it runs with the wall clock.
     */
    private Optional<Instant> clockOf(int partition) {
        long[] last = processed.get(partition);
        if (last != null) {
            return Optional.of(Instant.ofEpochMilli(last[0]).plusNanos(System.nanoTime() - last[1]));
        }
        // Nothing processed here yet: the first batches may still be on their way through the connector. Only a
        // partition that stayed quiet for a whole timeout since it was assigned runs on the wall clock.
        Long since = assignedAt.get(partition);
        return since != null && System.nanoTime() - since >= gapTimeout.toNanos()
                ? Optional.of(Instant.now())
                : Optional.empty();
    }

    @Scheduled(
            every = "${skywatch.sequencer.gap-check-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweepExpiredGaps() {
        if (owned.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // Caught up means more than "no lag": the connector polls ahead and queues records, so the consumer's
        // position must also be just past what this replica has stored and sequenced (or, before it has processed
        // anything there, what the group has committed: commits only follow processing).
        Function<Consumer<String, byte[]>, Set<Integer>> caughtUp = consumer -> {
            Set<TopicPartition> assigned = consumer.assignment();
            Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed =
                    consumer.committed(assigned, Duration.ofSeconds(1));
            return assigned.stream()
                    .filter(partition -> consumer.currentLag(partition).orElse(Long.MAX_VALUE) == 0)
                    .filter(partition -> {
                        long position = consumer.position(partition, Duration.ofMillis(200));
                        Long processedOffset = processedOffsets.get(partition.partition());
                        var commit = committed.get(partition);
                        return processedOffset != null
                                ? position <= processedOffset + 1
                                : commit != null && position <= commit.offset();
                    })
                    .map(TopicPartition::partition)
                    .collect(Collectors.toSet());
        };
        return kafkaClients
                .<String, byte[]>getConsumer(RocketStreamConsumer.INCOMING)
                .runOnPollingThread(caughtUp)
                .chain(idle -> sequencer.sweepExpiredGaps(channel -> {
                    int partition = partitionOf(channel);
                    return idle.contains(partition) && owned.contains(partition)
                            ? clockOf(partition)
                            : Optional.empty();
                }))
                .onFailure()
                .invoke(failure -> Log.warnf("Gap sweep failed, retrying next round: %s", failure.toString()))
                .onFailure()
                .recoverWithNull();
    }
}
