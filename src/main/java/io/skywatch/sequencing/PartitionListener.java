package io.skywatch.sequencing;

import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import java.util.Collection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The rebalance listener of a sequenced stream: keeps its {@link PartitionClocks} in step with the partitions
 * this replica consumes, and drops cached per-channel state when partitions leave (another replica may change
 * those channels now; cached state would only cause version conflicts).
 */
public abstract class PartitionListener implements KafkaConsumerRebalanceListener {

    protected final PartitionClocks clocks;

    protected PartitionListener(PartitionClocks clocks) {
        this.clocks = clocks;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        clocks.assigned(consumer, partitions);
        afterAssigned(partitions);
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        clocks.revoked(partitions);
        forgetCachedState();
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        onPartitionsRevoked(consumer, partitions);
    }

    /** Runs on the polling thread after partitions were assigned; must not block. */
    protected void afterAssigned(Collection<TopicPartition> partitions) {}

    /** Drops cached channel state of this stream. */
    protected abstract void forgetCachedState();
}
