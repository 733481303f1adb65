package io.skywatch.sensors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.skywatch.aggregates.AggregateStore;
import io.skywatch.aggregates.StationWindows;
import io.skywatch.alerts.AlertMetrics;
import io.skywatch.alerts.AlertPublisher;
import io.skywatch.alerts.AlertRule;
import io.skywatch.alerts.AlertRules;
import io.skywatch.alerts.AlertStore;
import io.skywatch.alerts.AlertTracker;
import io.skywatch.alerts.OutlierDetector;
import io.skywatch.config.SkywatchConfig;
import io.skywatch.live.LiveUpdates;
import io.skywatch.sequencing.ChannelSequencing;
import io.skywatch.sequencing.GapPolicy;
import io.skywatch.sequencing.VersionedStates;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Applies a station's readings to its state. Numbered readings go through the same reorder / dedupe / gap
 * step as rocket messages; readings without a number are applied as they come, deduplicated by their time
 * within the open windows. Each reading taken updates the latest values (by measurement time, so independent of
 * arrival order), the 1-minute and 1-hour windows, and the alerts: threshold rules, outliers and flat lines.
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
    private final Counter lateReadings;
    private final OutlierDetector outliers;
    private final AggregateStore aggregates;
    private final AlertPublisher alertPublisher;
    private final LiveUpdates live;
    private final Duration lateness;

    public StationSequencer(
            SensorStore store,
            SkywatchConfig config,
            MeterRegistry registry,
            AlertRules alertRules,
            AlertStore alertStore,
            AlertMetrics alertMetrics,
            StationDistricts districts,
            AggregateStore aggregates,
            AlertPublisher alertPublisher,
            LiveUpdates live) {
        this.aggregates = aggregates;
        this.alertPublisher = alertPublisher;
        this.live = live;
        this.outliers = new OutlierDetector(config.outliers());
        this.lateness = config.aggregates().allowedLateness();
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
                store::compareAndSetAll,
                config.sequencer().cachedChannels());
        this.duplicates = Counter.builder("skywatch.sequencer.duplicates")
                .tag("stream", "sensors")
                .description("Arrivals dropped because their message number was applied or waiting already")
                .register(registry);
        this.gapsDeclared = Counter.builder("skywatch.sequencer.gaps.declared")
                .tag("stream", "sensors")
                .description("Message numbers the gap policy stopped waiting for")
                .register(registry);
        this.lateReadings = Counter.builder("skywatch.aggregates.late")
                .tag("stream", "sensors")
                .description("Readings that came after their window closed: stored, but in no aggregate")
                .register(registry);
    }

    /**
     * Offers the readings of one consumer batch, by station, and writes the stations' new states together.
     *
     * @param nowByStation each station's partition clock (see {@code StreamClock})
     */
    Uni<Void> offerAll(Map<String, List<StoredReading>> arrivalsByStation, Function<String, Instant> nowByStation) {
        Map<String, Function<StationState, Uni<VersionedStates.Change<StationState>>>> changes = new LinkedHashMap<>();
        arrivalsByStation.forEach((stationId, arrivals) ->
                changes.put(stationId, change(stationId, arrivals, nowByStation.apply(stationId), false)));
        return states.updateAll(changes);
    }

    /**
     * Lets time pass for a station that receives nothing: a missing number waited for longer than the gap
     * timeout is skipped, and windows that have ended are closed if the station has been quiet for the allowed
     * lateness.
     *
     * @param now the clock of the station's partition, caught up (see {@code PartitionClocks})
     */
    Uni<Void> sweep(String stationId, Instant now) {
        return advance(stationId, List.of(), now, true);
    }

    /** Forgets cached states, e.g. when partitions move: Mongo is read again. */
    void forgetCachedState() {
        states.forget();
    }

    /** How long a station has sent nothing, by its partition's clock. */
    static Duration quietFor(StationState state, Instant now) {
        return state.updatedAt == null ? Duration.ZERO : Duration.between(state.updatedAt, now);
    }

    /** Whether a station is quiet enough at {@code now} for its ended windows to close without a reading. */
    boolean quiet(StationState state, Instant now) {
        return state.updatedAt == null || !state.updatedAt.isAfter(now.minus(lateness));
    }

    private Uni<Void> advance(String stationId, List<StoredReading> arrivals, Instant now, boolean sweeping) {
        return states.update(stationId, change(stationId, arrivals, now, sweeping));
    }

    private Function<StationState, Uni<VersionedStates.Change<StationState>>> change(
            String stationId, List<StoredReading> arrivals, Instant now, boolean sweeping) {
        List<StoredReading> numbered =
                arrivals.stream().filter(r -> r.sequence != null).toList();
        List<StoredReading> unnumbered =
                arrivals.stream().filter(r -> r.sequence == null).toList();
        return current -> {
            ChannelSequencing.Step<StoredReading> step = ChannelSequencing.step(
                    new ChannelSequencing.State<>(
                            current.lastSequence, current.pendingBySequence(), current.skipped, current.waitingSince),
                    numbered,
                    reading -> reading.sequence,
                    gapPolicy,
                    now);
            if (!step.changed() && unnumbered.isEmpty() && !sweeping) {
                return Uni.createFrom()
                        .item(VersionedStates.Change.none(() -> duplicates.increment(step.duplicates())));
            }
            StationState next = current.copy();
            List<StoredReading> inOrder = new ArrayList<>(step.ready());
            inOrder.addAll(unnumbered.stream()
                    .sorted(Comparator.comparing(r -> r.timestamp))
                    .toList());
            List<StationWindows.Closed> closed = new ArrayList<>();
            // Numbers that arrive after the sequencer skipped them still count in their window if it is open.
            // They do not go through the alert rules: they are older than what the rules have already judged.
            int late = 0;
            for (StoredReading reading : step.late()) {
                next.apply(reading);
                if (next.windows.add(reading.dedupeKey, reading.timestamp, reading.metrics, lateness, closed)
                        != StationWindows.Outcome.TAKEN) {
                    late++;
                }
            }
            List<StoredReading> taken = new ArrayList<>();
            int resent = 0;
            for (StoredReading reading : inOrder) {
                next.apply(reading);
                switch (next.windows.add(reading.dedupeKey, reading.timestamp, reading.metrics, lateness, closed)) {
                    case TAKEN -> taken.add(reading);
                    case DUPLICATE -> resent++;
                    case LATE -> late++;
                }
            }
            if (sweeping && quiet(current, now)) {
                next.windows.closeIdle(quietFor(current, now), lateness, closed);
            }
            if (!step.changed() && taken.isEmpty() && late == 0 && closed.isEmpty()) {
                int duplicateCount = resent;
                return Uni.createFrom().item(VersionedStates.Change.none(() -> duplicates.increment(duplicateCount)));
            }
            next.readings += taken.size() + step.late().size();
            next.lastSequence = step.state().lastApplied();
            next.pending = List.copyOf(step.state().pending().values());
            next.waitingSince = step.state().waitingSince();
            next.skipped = step.state().skipped();
            next.version = current.version + 1;
            // A sweep is not traffic: the station stays as quiet as it was.
            next.updatedAt = sweeping ? current.updatedAt : now;
            int duplicateCount = step.duplicates() + resent;
            int lateCount = late;
            return districts.of(stationId).chain(district -> {
                List<AlertRule> rules = alertRules.current();
                Set<String> ruleIds = rules.stream().map(rule -> rule.id).collect(Collectors.toSet());
                List<AlertTracker.Change> alerts = new ArrayList<>();
                for (StoredReading reading : taken) {
                    List<AlertTracker.Condition> conditions =
                            new ArrayList<>(AlertTracker.thresholds(stationId, district, reading.metrics, rules));
                    conditions.addAll(outliers.check(next.recent, reading.metrics));
                    alerts.addAll(AlertTracker.apply(
                            next.openAlerts,
                            next.lastCleared,
                            stationId,
                            reading.timestamp,
                            conditions,
                            ruleId -> ruleIds.contains(ruleId) || outliers.defines(ruleId)));
                }
                // Stored and published before the state that records them: a crash in between replays the same
                // readings, which derive the same windows and alert ids, so nothing is lost and nothing doubles.
                return aggregates
                        .save(stationId, closed)
                        .chain(() -> alertStore.save(alerts))
                        .chain(() -> alertPublisher.publish(alerts))
                        .replaceWith(new VersionedStates.Change<>(next, () -> {
                            duplicates.increment(duplicateCount);
                            gapsDeclared.increment(step.newlySkipped());
                            lateReadings.increment(lateCount);
                            alerts.forEach(alertMetrics::record);
                            taken.forEach(reading ->
                                    live.reading(stationId, reading.timestamp, reading.sequence, reading.metrics));
                        }));
            });
        };
    }
}
