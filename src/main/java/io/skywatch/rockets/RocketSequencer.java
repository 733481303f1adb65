package io.skywatch.rockets;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.skywatch.config.SkywatchConfig;
import io.skywatch.live.LiveUpdates;
import io.skywatch.observability.LogFields;
import io.skywatch.sequencing.ChannelSequencing;
import io.skywatch.sequencing.GapPolicy;
import io.skywatch.sequencing.ReorderBuffer;
import io.skywatch.sequencing.VersionedStates;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Applies a channel's events to its projection in message-number order, exactly once in effect: arrivals
 * at or below the last applied number, or already waiting, are duplicates; arrivals ahead of a gap wait in
 * the projection document itself, so they are as durable as the state they will change. Every write is
 * conditional on the version read, which makes a replay after a crash, a second replica briefly owning the
 * same partition during a rebalance, or the gap sweeper racing a batch, harmless.
 *
 * <p>When the gap policy gives up on a missing number the channel moves on and the number is recorded as
 * skipped. If it arrives after all, the rocket is rebuilt from its ordered event log, so the final state is
 * the one an in-order replay gives.
 */
@ApplicationScoped
public class RocketSequencer {

    private final RocketEventLog eventLog;
    private final GapPolicy gapPolicy;
    private final VersionedStates<RocketProjection> states;
    /** Channels this replica saw waiting for a missing number, with since when. */
    private final Map<String, Instant> waiting = new ConcurrentHashMap<>();

    private final LiveUpdates live;
    private final int maxListedMissing;
    private final Counter duplicates;
    private final Counter applied;
    private final Counter gapsDeclared;
    private final Counter lateArrivals;
    private final Counter rebuilds;
    private final AtomicLong pendingTotal = new AtomicLong();

    public RocketSequencer(
            RocketProjections projections,
            RocketEventLog eventLog,
            SkywatchConfig config,
            MeterRegistry registry,
            LiveUpdates live) {
        this.live = live;
        this.eventLog = eventLog;
        this.gapPolicy = new GapPolicy(
                config.sequencer().gapTimeout(), config.sequencer().maxPending());
        this.maxListedMissing = config.sequencer().maxListedMissing();
        this.states = VersionedStates.of(
                channel -> projections
                        .findById(channel)
                        .map(stored -> stored != null ? stored : RocketProjection.newChannel(channel)),
                state -> state.version,
                projections::compareAndSet,
                projections::compareAndSetAll,
                config.sequencer().cachedChannels());
        this.duplicates = counter(
                registry,
                "skywatch.sequencer.duplicates",
                "Arrivals dropped because their message number was applied or waiting already");
        this.applied = counter(registry, "skywatch.sequencer.applied", "Messages applied to projections in order");
        this.gapsDeclared = counter(
                registry, "skywatch.sequencer.gaps.declared", "Message numbers the gap policy stopped waiting for");
        this.lateArrivals = counter(
                registry,
                "skywatch.sequencer.late.arrivals",
                "Messages that arrived after their number had been skipped");
        this.rebuilds = counter(
                registry, "skywatch.sequencer.rebuilds", "Projections rebuilt from the event log after a late arrival");
        Gauge.builder("skywatch.sequencer.pending", pendingTotal, AtomicLong::get)
                .description("Messages held back until a missing message number arrives or is given up")
                .tag("stream", "rockets")
                .register(registry);
        Gauge.builder("skywatch.sequencer.waiting.channels", waiting, Map::size)
                .description("Channels waiting for a missing message number")
                .tag("stream", "rockets")
                .register(registry);
    }

    private static Counter counter(MeterRegistry registry, String name, String description) {
        return Counter.builder(name)
                .tag("stream", "rockets")
                .description(description)
                .register(registry);
    }

    /**
     * Offers one channel's arrivals (in any order, duplicates allowed) and persists the outcome.
     *
     * @param now the channel's partition clock (see {@link io.skywatch.sequencing.StreamClock}): gap timeouts
     *     count accepted traffic, not the time a consumer spends catching up on a backlog
     */
    Uni<Void> offer(String channel, List<RocketEvent> arrivals, Instant now) {
        return states.update(channel, change(channel, arrivals, now));
    }

    /**
     * {@link #offer} for the channels of one consumer batch, their new states written together.
     *
     * @param nowByChannel each channel's partition clock
     */
    Uni<Void> offerAll(Map<String, List<RocketEvent>> arrivalsByChannel, Function<String, Instant> nowByChannel) {
        Map<String, Function<RocketProjection, Uni<VersionedStates.Change<RocketProjection>>>> changes =
                new LinkedHashMap<>();
        arrivalsByChannel.forEach(
                (channel, arrivals) -> changes.put(channel, change(channel, arrivals, nowByChannel.apply(channel))));
        return states.updateAll(changes);
    }

    private Function<RocketProjection, Uni<VersionedStates.Change<RocketProjection>>> change(
            String channel, List<RocketEvent> arrivals, Instant now) {
        return current -> {
            ChannelSequencing.Step<RocketEvent> step = ChannelSequencing.step(
                    new ChannelSequencing.State<>(
                            current.lastMessageNumber,
                            current.pendingByNumber(),
                            current.skipped,
                            current.waitingSince),
                    arrivals,
                    event -> event.messageNumber,
                    gapPolicy,
                    now);
            if (!step.changed()) {
                return Uni.createFrom().item(VersionedStates.Change.none(() -> {
                    duplicates.increment(step.duplicates());
                    trackWaiting(current);
                }));
            }
            return next(current, step, now)
                    .map(next -> new VersionedStates.Change<>(next, () -> recordWritten(current, next, step)));
        };
    }

    /**
     * Applies the gap policy's timeout to waiting channels that receive nothing more (arrivals apply it
     * themselves). {@code clockFor} gives the clock of a channel's partition when this replica owns it and
     * has caught up with it, and nothing otherwise: only then can time say the missing message is not coming.
     */
    Uni<Void> sweepExpiredGaps(Function<String, Optional<Instant>> clockFor) {
        List<Uni<Void>> sweeps = new ArrayList<>();
        waiting.forEach((channel, since) -> clockFor.apply(channel)
                .filter(now -> !since.plus(gapPolicy.timeout()).isAfter(now))
                .ifPresent(now -> sweeps.add(offer(channel, List.of(), now))));
        return sweeps.isEmpty()
                ? Uni.createFrom().voidItem()
                : Uni.join().all(sweeps).andCollectFailures().replaceWithVoid();
    }

    /** Starts watching a channel that waits for a missing number, e.g. found in Mongo after a restart. */
    void watch(String channel, Instant waitingSince) {
        waiting.putIfAbsent(channel, waitingSince);
    }

    /** Forgets cached state and watched channels, e.g. when partitions move: Mongo is read again. */
    void forgetCachedState() {
        states.forget();
        waiting.clear();
    }

    private Uni<RocketProjection> next(
            RocketProjection current, ChannelSequencing.Step<RocketEvent> step, Instant now) {
        ChannelSequencing.State<RocketEvent> sequencing = step.state();
        Uni<RocketProjection> applied;
        if (step.rebuild()) {
            RocketProjection rebuilt = current.emptyStateCopy();
            if (current.beforeSkip != null) {
                current.beforeSkip.restoreInto(rebuilt);
            }
            applied = eventLog.between(current.channel, rebuilt.lastMessageNumber, sequencing.lastApplied())
                    .map(history -> {
                        for (RocketEvent event : history) {
                            // Anything in the log has arrived, whatever the skipped list says (a replica raced us).
                            ChannelSequencing.fill(sequencing.skipped(), event.messageNumber);
                            rebuilt.apply(event);
                        }
                        return rebuilt;
                    });
        } else {
            RocketProjection copy = current.copy();
            long firstSkipped = copy.beforeSkip == null && step.newlySkipped() > 0
                    ? sequencing.skipped().stream()
                            .mapToLong(range -> range.from)
                            .min()
                            .orElse(Long.MAX_VALUE)
                    : Long.MAX_VALUE;
            for (RocketEvent event : step.ready()) {
                if (event.messageNumber > firstSkipped && copy.beforeSkip == null) {
                    copy.beforeSkip = RocketSnapshot.of(copy);
                }
                copy.apply(event);
            }
            applied = Uni.createFrom().item(copy);
        }
        return applied.map(next -> {
            // Skipped numbers still advance the sequence: lastMessageNumber is where the channel stands.
            next.lastMessageNumber = sequencing.lastApplied();
            next.pending = List.copyOf(sequencing.pending().values());
            next.waitingSince = sequencing.waitingSince();
            next.skipped = sequencing.skipped();
            next.skippedCount = ChannelSequencing.count(sequencing.skipped());
            if (sequencing.skipped().isEmpty()) {
                next.beforeSkip = null;
            }
            next.missingCount = ReorderBuffer.missingCount(sequencing.lastApplied(), sequencing.pending());
            next.missingMessageNumbers =
                    ReorderBuffer.missingNumbers(sequencing.lastApplied(), sequencing.pending(), maxListedMissing);
            next.version = current.version + 1;
            next.updatedAt = now;
            return next;
        });
    }

    private void recordWritten(
            RocketProjection current, RocketProjection next, ChannelSequencing.Step<RocketEvent> step) {
        trackWaiting(next);
        if (next.lastMessageNumber != current.lastMessageNumber || step.rebuild()) {
            live.rocket(next.channel, Rocket.of(next));
        }
        duplicates.increment(step.duplicates());
        applied.increment(step.ready().size());
        pendingTotal.addAndGet(next.pending.size() - current.pending.size());
        if (step.newlySkipped() > 0) {
            gapsDeclared.increment(step.newlySkipped());
            LogFields.with(
                    "rockets",
                    next.channel,
                    () -> Log.infof(
                            "Channel %s stopped waiting for %d message(s) after %d ms with %d held back; now at %d",
                            next.channel,
                            step.newlySkipped(),
                            current.waitingSince == null
                                    ? 0
                                    : Duration.between(current.waitingSince, next.updatedAt)
                                            .toMillis(),
                            current.pending.size()
                                    + step.ready().size()
                                    - step.late().size(),
                            next.lastMessageNumber));
        }
        if (step.rebuild()) {
            lateArrivals.increment(step.late().size());
            rebuilds.increment();
        }
    }

    private void trackWaiting(RocketProjection projection) {
        if (projection.waitingSince == null) {
            waiting.remove(projection.channel);
        } else {
            waiting.put(projection.channel, projection.waitingSince);
        }
    }
}
