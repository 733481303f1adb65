package io.skywatch.rockets;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.skywatch.config.SkywatchConfig;
import io.skywatch.sequencing.PartitionClocks;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
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
    private final PartitionClocks clocks;

    public RocketPartitions(
            RocketSequencer sequencer,
            RocketProjections projections,
            KafkaClientService kafkaClients,
            SkywatchConfig config) {
        // A partition that stayed quiet for a whole timeout since it was assigned runs on the wall clock.
        this.clocks = new PartitionClocks(
                RocketStreamConsumer.INCOMING,
                config.rockets().topic(),
                config.sequencer().gapTimeout());
        this.sequencer = sequencer;
        this.projections = projections;
        this.kafkaClients = kafkaClients;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        clocks.assigned(consumer, partitions);
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
        clocks.revoked(partitions);
        // Another replica may change these channels now; cached state would only cause version conflicts.
        sequencer.forgetCachedState();
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        onPartitionsRevoked(consumer, partitions);
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
