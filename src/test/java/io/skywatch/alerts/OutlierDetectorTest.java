package io.skywatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.skywatch.emitters.StationSimulator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OutlierDetectorTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private final OutlierDetector detector = new OutlierDetector(
            true,
            120,
            30,
            6,
            3,
            Severity.WARNING,
            300,
            Set.of("rainfall", "wind_speed"),
            Set.of("rainfall", "wind_speed", "illuminance"));

    /** One simulated station, as the stream would apply its readings. */
    private final class Station {
        final Map<String, List<Double>> recent = new HashMap<>();
        final Map<String, AlertTracker.OpenAlert> open = new HashMap<>();
        final Map<String, Instant> lastCleared = new HashMap<>();
        final List<AlertTracker.Change> changes = new ArrayList<>();

        void reading(int second, Map<String, Double> values) {
            changes.addAll(AlertTracker.apply(
                    open,
                    lastCleared,
                    "st",
                    T0.plusSeconds(second),
                    detector.check(recent, values),
                    detector::defines));
        }
    }

    @Test
    void normalDataFromTheSeedDistributionsRaisesNothing() {
        int raised = 0;
        for (int seed = 0; seed < 100; seed++) {
            StationSimulator simulator = new StationSimulator(seed);
            Station station = new Station();
            for (int second = 0; second < 1000; second++) {
                station.reading(second, simulator.next());
            }
            raised += (int) station.changes.stream()
                    .filter(change -> change.transition() == AlertTracker.Transition.RAISED)
                    .count();
        }
        assertThat(raised)
                .as("alerts over 100 stations × 1000 readings of normal data")
                .isZero();
    }

    @Test
    void spikeUnderEveryThresholdIsAnOutlierThatClearsWithTheNextNormalReading() {
        StationSimulator simulator = new StationSimulator(1);
        Station station = new Station();
        for (int second = 0; second < 60; second++) {
            station.reading(second, simulator.next());
        }
        Map<String, Double> spike = new HashMap<>(simulator.next());
        spike.put("humidity", 99.0);

        station.reading(60, spike);
        station.reading(61, simulator.next());

        assertThat(station.changes)
                .extracting(change -> change.transition() + " " + change.alert().ruleId + " " + change.alert().kind)
                .containsExactly("RAISED outlier:humidity OUTLIER", "CLEARED outlier:humidity OUTLIER");
        Alert raised = station.changes.get(0).alert();
        assertThat(raised.raisedValue).isEqualTo(99.0);
        assertThat(raised.score).isGreaterThan(6);
        assertThat(raised.metric).isEqualTo("humidity");
    }

    @Test
    void stuckSensorIsAFlatLineUntilItMovesAgain() {
        Station station = new Station();
        for (int second = 0; second < 120; second++) {
            station.reading(second, Map.of("pressure", 1013.0));
        }
        station.reading(120, Map.of("pressure", 1012.5));

        assertThat(station.changes)
                .extracting(change -> change.transition() + " " + change.alert().ruleId)
                .containsExactly("RAISED flatline:pressure", "CLEARED flatline:pressure");
        assertThat(station.changes.get(0).alert().raisedAt).isEqualTo(T0.plusSeconds(119));
    }

    @Test
    void exemptMetricsAreNotJudged() {
        Station station = new Station();
        for (int second = 0; second < 200; second++) {
            station.reading(second, Map.of("rainfall", 0.0));
        }
        station.reading(200, Map.of("rainfall", 80.0));

        assertThat(station.changes).isEmpty();
    }

    @Test
    void switchedOffItClearsWhatItHadOpen() {
        Station station = new Station();
        for (int second = 0; second < 120; second++) {
            station.reading(second, Map.of("pressure", 1013.0));
        }
        assertThat(station.open).containsKey("flatline:pressure");

        List<AlertTracker.Change> changes = AlertTracker.apply(
                station.open, station.lastCleared, "st", T0.plusSeconds(121), List.of(), ruleId -> false);

        assertThat(changes)
                .extracting(AlertTracker.Change::transition)
                .containsExactly(AlertTracker.Transition.CLEARED);
    }
}
