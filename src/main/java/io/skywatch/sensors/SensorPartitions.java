package io.skywatch.sensors;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.skywatch.config.SkywatchConfig;
import io.skywatch.sequencing.PartitionClocks;
import io.skywatch.sequencing.PartitionListener;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Lets time pass for stations that send nothing more, on the partitions this replica owns and has caught up
 * with: a station waiting for a missing sequence number moves on after the gap timeout, and a quiet station's
 * ended windows close (so its aggregates and the daily report become complete).
 */
// Singleton, not ApplicationScoped: a client proxy would need a no-args constructor, which PartitionListener has not.
@Singleton
@Identifier(SensorPartitions.LISTENER)
public class SensorPartitions extends PartitionListener {

    /** Name the incoming channel's {@code consumer-rebalance-listener.name} refers to. */
    public static final String LISTENER = "sensors-rebalance";

    private final StationSequencer sequencer;
    private final SensorStore store;
    private final KafkaClientService kafkaClients;
    private final Duration gapTimeout;
    private final Duration lateness;

    public SensorPartitions(
            StationSequencer sequencer, SensorStore store, KafkaClientService kafkaClients, SkywatchConfig config) {
        super(new PartitionClocks(
                SensorStreamConsumer.INCOMING,
                config.sensors().topic(),
                config.sequencer().gapTimeout()));
        this.sequencer = sequencer;
        this.store = store;
        this.kafkaClients = kafkaClients;
        this.gapTimeout = config.sequencer().gapTimeout();
        this.lateness = config.aggregates().allowedLateness();
    }

    @Override
    protected void forgetCachedState() {
        sequencer.forgetCachedState();
    }

    /** Called once a batch is stored and sequenced, with its latest acceptance time and offset per partition. */
    void processed(Map<Integer, Long> latestByPartition, Map<Integer, Long> lastOffsets) {
        clocks.processed(latestByPartition, lastOffsets);
    }

    @Scheduled(
            every = "${skywatch.sensors.sweep-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        if (!clocks.ownsAny()) {
            return Uni.createFrom().voidItem();
        }
        return clocks.<byte[]>caughtUpClocks(kafkaClients)
                .chain(clockOf -> store.sweepCandidates(Instant.now().minus(lateness))
                        .chain(candidates -> sweep(candidates, clockOf)))
                .onFailure()
                .invoke(failure -> Log.warnf("Station sweep failed, retrying next round: %s", failure.toString()))
                .onFailure()
                .recoverWithNull();
    }

    private Uni<Void> sweep(List<StationState> candidates, Function<String, Optional<Instant>> clockOf) {
        List<Uni<Void>> sweeps = new ArrayList<>();
        for (StationState state : candidates) {
            clockOf.apply(state.stationId)
                    .filter(now -> due(state, now))
                    .ifPresent(now -> sweeps.add(sequencer.sweep(state.stationId, now)));
        }
        return sweeps.isEmpty()
                ? Uni.createFrom().voidItem()
                : Uni.join().all(sweeps).andCollectFailures().replaceWithVoid();
    }

    private boolean due(StationState state, Instant now) {
        boolean gapExpired = state.waitingSince != null
                && !state.waitingSince.plus(gapTimeout).isAfter(now);
        boolean windowEnded = state.windows != null
                && state.windows.hasOpenWindows()
                && sequencer.quiet(state, now)
                && state.windows.watermark != null
                && state.windows.hasWindowEndedBy(
                        state.windows.idleHorizon(StationSequencer.quietFor(state, now), lateness));
        return gapExpired || windowEnded;
    }
}
