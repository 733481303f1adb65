package io.skywatch.sequencing;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The time a batch stands for, per channel: the latest acceptance time (Kafka record timestamp) seen on the
 * channel's partition in the batch. Gap timeouts are measured on this clock, so a consumer working through a
 * backlog after a restart or an outage does not give up on messages that are already waiting in Kafka; it
 * gives up only once records accepted {@code timeout} after the wait began have arrived without the gap
 * filling. A single batch may mix partitions that lag by different amounts, hence per partition.
 */
public final class StreamClock {

    private final Map<Integer, Long> latestByPartition = new HashMap<>();
    private final Map<Integer, Long> lastOffsetByPartition = new HashMap<>();
    private final Map<String, Integer> partitionByChannel = new HashMap<>();

    public void saw(String channel, ConsumerRecord<?, ?> record) {
        latestByPartition.merge(record.partition(), record.timestamp(), Math::max);
        lastOffsetByPartition.merge(record.partition(), record.offset(), Math::max);
        partitionByChannel.put(channel, record.partition());
    }

    /** Latest acceptance time (epoch millis) seen per partition in the batch. */
    public Map<Integer, Long> latestByPartition() {
        return Map.copyOf(latestByPartition);
    }

    /** Highest offset seen per partition in the batch. */
    public Map<Integer, Long> lastOffsetByPartition() {
        return Map.copyOf(lastOffsetByPartition);
    }

    /** The clock of the channel's partition; the wall clock for a channel not seen in the batch. */
    public Instant now(String channel) {
        Integer partition = partitionByChannel.get(channel);
        return partition == null ? Instant.now() : Instant.ofEpochMilli(latestByPartition.get(partition));
    }
}
