package io.skywatch.streams;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.skywatch.config.SkywatchConfig;
import io.skywatch.sequencing.PartitionClocks;
import io.skywatch.sequencing.PartitionListener;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Lets time pass on the run-time streams' partitions that receive nothing more, where this replica owns them and
 * has caught up: keys waiting for a missing number move on after the gap timeout, and a partition quiet for the
 * allowed lateness closes its ended windows.
 */
// Singleton, not ApplicationScoped: a client proxy would need a no-args constructor, which PartitionListener has not.
@Singleton
@Identifier(StreamPartitions.LISTENER)
public class StreamPartitions extends PartitionListener {

    /** Name the incoming channel's {@code consumer-rebalance-listener.name} refers to. */
    public static final String LISTENER = "streams-rebalance";

    private final KafkaClientService kafkaClients;
    private final StreamRegistry registry;
    private final StreamSequencer sequencer;
    private final StreamAggregates aggregates;

    public StreamPartitions(
            KafkaClientService kafkaClients,
            StreamRegistry registry,
            StreamSequencer sequencer,
            StreamAggregates aggregates,
            SkywatchConfig config) {
        super(new PartitionClocks(
                StreamEventConsumer.INCOMING, null, config.sequencer().gapTimeout()));
        this.kafkaClients = kafkaClients;
        this.registry = registry;
        this.sequencer = sequencer;
        this.aggregates = aggregates;
    }

    @Override
    protected void forgetCachedState() {
        sequencer.forget();
        aggregates.forget();
    }

    void processed(String topic, Map<Integer, Long> latestByPartition, Map<Integer, Long> lastOffsets) {
        clocks.processed(topic, latestByPartition, lastOffsets);
    }

    @Scheduled(
            every = "${skywatch.sensors.sweep-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        if (!clocks.ownsAny()) {
            return Uni.createFrom().voidItem();
        }
        return clocks.<byte[]>caughtUp(kafkaClients)
                .chain(snapshot -> sequencer.sweep(snapshot).chain(() -> closeQuietWindows(snapshot)))
                .onFailure()
                .invoke(failure -> Log.warnf("Streams sweep failed, retrying next round: %s", failure.toString()))
                .onFailure()
                .recoverWithNull();
    }

    private Uni<Void> closeQuietWindows(PartitionClocks.Snapshot snapshot) {
        List<Uni<Void>> closes = new ArrayList<>();
        for (TopicPartition partition : snapshot.partitions()) {
            String stream = StreamTopics.streamOf(partition.topic());
            StreamRegistry.Active active = registry.get(stream);
            if (active == null
                    || active.definition().aggregations.isEmpty()
                    || snapshot.quietFor(partition).compareTo(aggregates.latenessOf(active.definition())) < 0) {
                continue;
            }
            if (snapshot.forPartition(partition).isPresent()) {
                closes.add(aggregates.closeIdle(
                        stream, partition.partition(), active.definition(), snapshot.quietFor(partition)));
            }
        }
        return closes.isEmpty()
                ? Uni.createFrom().voidItem()
                : Uni.join().all(closes).andCollectFailures().replaceWithVoid();
    }
}
