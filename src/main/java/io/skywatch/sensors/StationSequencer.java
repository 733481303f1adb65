package io.skywatch.sensors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.skywatch.alerts.AlertMetrics;
import io.skywatch.alerts.AlertRules;
import io.skywatch.alerts.AlertStore;
import io.skywatch.alerts.AlertTracker;
import io.skywatch.config.SkywatchConfig;
import io.skywatch.sequencing.ChannelSequencing;
import io.skywatch.sequencing.GapPolicy;
import io.skywatch.sequencing.VersionedStates;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Applies a station's readings to its state. Numbered readings go through the same reorder / dedupe / gap
 * step as rocket messages; readings without a number are applied as they come (deduplicated by time when
 * stored). Latest values are kept by measurement time, which makes them independent of arrival order.
 */
@ApplicationScoped
public class StationSequencer {

    private final VersionedStates<StationState> states;
    private final AlertRules alertRules;
    private final AlertStore alertStore;
    private final AlertMetrics alertMetrics;
    private final StationDistricts districts;
    private final GapPolicy gapPolicy;
    private final Counter duplicates;
    private final Counter gapsDeclared;

    public StationSequencer(
            SensorStore store,
            SkywatchConfig config,
            MeterRegistry registry,
            AlertRules alertRules,
            AlertStore alertStore,
            AlertMetrics alertMetrics,
            StationDistricts districts) {
        this.alertRules = alertRules;
        this.alertStore = alertStore;
        this.alertMetrics = alertMetrics;
        this.districts = districts;
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
            List<StoredReading> inOrder = new ArrayList<>(step.ready());
            inOrder.addAll(unnumbered.stream()
                    .sorted(Comparator.comparing(r -> r.timestamp))
                    .toList());
            // Latest-by-time does not care about order, so a late reading needs no rebuild: it is applied as is.
            // It does not go through the alert rules: it is older than what they have already judged.
            step.late().forEach(next::apply);
            inOrder.forEach(next::apply);
            next.readings += inOrder.size() + step.late().size();
            next.lastSequence = step.state().lastApplied();
            next.pending = List.copyOf(step.state().pending().values());
            next.waitingSince = step.state().waitingSince();
            next.skipped = step.state().skipped();
            next.version = current.version + 1;
            next.updatedAt = now;
            return districts.of(stationId).chain(district -> {
                List<AlertTracker.Change> alerts = new ArrayList<>();
                for (StoredReading reading : inOrder) {
                    alerts.addAll(AlertTracker.apply(
                            next.openAlerts,
                            next.lastCleared,
                            stationId,
                            district,
                            reading.timestamp,
                            reading.metrics,
                            alertRules.current()));
                }
                // Stored before the state that records them: a crash in between replays the same readings,
                // which derive the same alert ids, so nothing is lost and nothing doubles.
                return alertStore.save(alerts).replaceWith(new VersionedStates.Change<>(next, () -> {
                    duplicates.increment(step.duplicates());
                    gapsDeclared.increment(step.newlySkipped());
                    alerts.forEach(alertMetrics::record);
                }));
            });
        });
    }
}
