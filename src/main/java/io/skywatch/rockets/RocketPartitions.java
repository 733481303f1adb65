package io.skywatch.rockets;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.skywatch.config.SkywatchConfig;
import io.skywatch.sequencing.PartitionClocks;
import io.skywatch.sequencing.PartitionListener;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Knows which rockets partitions this replica owns, so that the gap sweeper only touches channels whose
 * messages arrive here, and so that a replica taking partitions over picks up the channels that were left
 * waiting for a missing number.
 */
// Singleton, not ApplicationScoped: a client proxy would need a no-args constructor, which PartitionListener has not.
@Singleton
@Identifier(RocketPartitions.LISTENER)
public class RocketPartitions extends PartitionListener {

    /** Name the incoming channel's {@code consumer-rebalance-listener.name} refers to. */
    public static final String LISTENER = "rockets-rebalance";

    private final RocketSequencer sequencer;
    private final RocketProjections projections;
    private final KafkaClientService kafkaClients;

    public RocketPartitions(
            RocketSequencer sequencer,
            RocketProjections projections,
            KafkaClientService kafkaClients,
            SkywatchConfig config) {
        // A partition that stayed quiet for a whole timeout since it was assigned runs on the wall clock.
        super(new PartitionClocks(
                RocketStreamConsumer.INCOMING,
                config.rockets().topic(),
                config.sequencer().gapTimeout()));
        this.sequencer = sequencer;
        this.projections = projections;
        this.kafkaClients = kafkaClients;
    }

    @Override
    protected void afterAssigned(Collection<TopicPartition> partitions) {
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
    protected void forgetCachedState() {
        sequencer.forgetCachedState();
    }

    /** True when the channel's records land on a partition this replica consumes. */
    boolean owns(String channel) {
        return clocks.owns(channel);
    }

    /** Called once a batch is stored and sequenced, with its latest acceptance time per partition. */
    void processed(Map<Integer, Long> latestByPartition, Map<Integer, Long> lastOffsets) {
        clocks.processed(latestByPartition, lastOffsets);
    }

    @Scheduled(
            every = "${skywatch.sequencer.gap-check-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweepExpiredGaps() {
        if (!clocks.ownsAny()) {
            return Uni.createFrom().voidItem();
        }
        return clocks.<byte[]>caughtUpClocks(kafkaClients)
                .chain(sequencer::sweepExpiredGaps)
                .onFailure()
                .invoke(failure -> Log.warnf("Gap sweep failed, retrying next round: %s", failure.toString()))
                .onFailure()
                .recoverWithNull();
    }
}
