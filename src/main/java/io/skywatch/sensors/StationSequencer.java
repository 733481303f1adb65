package io.skywatch.sensors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.skywatch.config.SkywatchConfig;
import io.skywatch.sequencing.ChannelSequencing;
import io.skywatch.sequencing.GapPolicy;
import io.skywatch.sequencing.VersionedStates;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies a station's readings to its state. Numbered readings go through the same reorder / dedupe / gap
 * step as rocket messages; readings without a number are applied as they come (deduplicated by time when
 * stored). Latest values are kept by measurement time, which makes them independent of arrival order.
 */
@ApplicationScoped
public class StationSequencer {

    private final VersionedStates<StationState> states;
    private final GapPolicy gapPolicy;
    private final Counter duplicates;
    private final Counter gapsDeclared;

    public StationSequencer(SensorStore store, SkywatchConfig config, MeterRegistry registry) {
        this.gapPolicy = new GapPolicy(
                config.sequencer().gapTimeout(), config.sequencer().maxPending());
        this.states = VersionedStates.of(
                stationId -> store.state(stationId).map(s -> s != null ? s : StationState.newStation(stationId)),
                state -> state.version,
                store::compareAndSet,
                config.sequencer().cachedChannels());
        this.duplicates = Counter.builder("skywatch.sequencer.duplicates")
                .tag("stream", "sensors")
                .description("Arrivals dropped because their message number was applied or waiting already")
                .register(registry);
        this.gapsDeclared = Counter.builder("skywatch.sequencer.gaps.declared")
                .tag("stream", "sensors")
                .description("Message numbers the gap policy stopped waiting for")
                .register(registry);
    }

    /** Offers a station's readings; {@code now} is its partition's clock (see {@code StreamClock}). */
    Uni<Void> offer(String stationId, List<StoredReading> arrivals, Instant now) {
        List<StoredReading> numbered =
                arrivals.stream().filter(r -> r.sequence != null).toList();
        List<StoredReading> unnumbered =
                arrivals.stream().filter(r -> r.sequence == null).toList();
        return states.update(stationId, current -> {
            ChannelSequencing.Step<StoredReading> step = ChannelSequencing.step(
                    new ChannelSequencing.State<>(
                            current.lastSequence, current.pendingBySequence(), current.skipped, current.waitingSince),
                    numbered,
                    reading -> reading.sequence,
                    gapPolicy,
                    now);
            if (!step.changed() && unnumbered.isEmpty()) {
                return Uni.createFrom()
                        .item(VersionedStates.Change.none(() -> duplicates.increment(step.duplicates())));
            }
            StationState next = current.copy();
            List<StoredReading> toApply = new ArrayList<>(step.ready());
            // Latest-by-time does not care about order, so a late reading needs no rebuild: it is applied as is.
            toApply.addAll(step.late());
            toApply.addAll(unnumbered);
            toApply.forEach(next::apply);
            next.readings += toApply.size();
            next.lastSequence = step.state().lastApplied();
            next.pending = List.copyOf(step.state().pending().values());
            next.waitingSince = step.state().waitingSince();
            next.skipped = step.state().skipped();
            next.version = current.version + 1;
            next.updatedAt = now;
            return Uni.createFrom().item(new VersionedStates.Change<>(next, () -> {
                duplicates.increment(step.duplicates());
                gapsDeclared.increment(step.newlySkipped());
            }));
        });
    }
}
