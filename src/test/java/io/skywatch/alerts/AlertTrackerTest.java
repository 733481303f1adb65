package io.skywatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.skywatch.alerts.AlertTracker.Transition;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertTrackerTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private final Map<String, AlertTracker.OpenAlert> open = new HashMap<>();
    private final Map<String, Instant> lastCleared = new HashMap<>();

    private static AlertRule rule() {
        AlertRule rule = new AlertRule();
        rule.id = "pm";
        rule.metric = "pm2_5";
        rule.severity = Severity.WARNING;
        rule.raiseAbove = 50;
        rule.clearBelow = 40;
        rule.coolDownSeconds = 60;
        return rule;
    }

    private List<Transition> reading(int secondsAfter, double value, List<AlertRule> rules) {
        return AlertTracker.apply(
                        open, lastCleared, "st-1", null, T0.plusSeconds(secondsAfter), Map.of("pm2_5", value), rules)
                .stream()
                .map(AlertTracker.Change::transition)
                .toList();
    }

    private List<Transition> reading(int secondsAfter, double value) {
        return reading(secondsAfter, value, List.of(rule()));
    }

    @Test
    void raisesAboveFollowsThePeakAndClearsOnlyBelowTheClearingLevel() {
        assertThat(reading(0, 30)).isEmpty();
        assertThat(reading(10, 80)).containsExactly(Transition.RAISED);
        assertThat(reading(20, 90)).containsExactly(Transition.UPDATED);
        assertThat(reading(30, 45)).as("between the levels: hysteresis").isEmpty();
        assertThat(reading(40, 39)).containsExactly(Transition.CLEARED);
        assertThat(open).isEmpty();
        assertThat(lastCleared).containsEntry("pm", T0.plusSeconds(40));
    }

    @Test
    void staysQuietDuringTheCoolDownAfterAClear() {
        reading(0, 80);
        reading(10, 10);

        assertThat(reading(30, 80)).as("within 60 s of the clear").isEmpty();
        assertThat(reading(30, 10)).isEmpty();
        assertThat(reading(70, 80)).containsExactly(Transition.RAISED);
    }

    @Test
    void raisedAlertCarriesItsRuleAndAStableId() {
        List<AlertTracker.Change> changes =
                AlertTracker.apply(open, lastCleared, "st-1", null, T0, Map.of("pm2_5", 70.0), List.of(rule()));

        Alert alert = changes.get(0).alert();
        assertThat(alert.id).isEqualTo(Alert.idOf("st-1", "pm", T0));
        assertThat(alert.severity).isEqualTo(Severity.WARNING);
        assertThat(alert.threshold).isEqualTo(50.0);
        assertThat(alert.state).isEqualTo(Alert.State.OPEN);
    }

    @Test
    void rulesScopedElsewhereDoNotApply() {
        AlertRule otherDistrict = rule();
        otherDistrict.district = "harbour";

        assertThat(AlertTracker.apply(
                        open, lastCleared, "st-1", "old-town", T0, Map.of("pm2_5", 99.0), List.of(otherDistrict)))
                .isEmpty();
        assertThat(AlertTracker.apply(
                        open, lastCleared, "st-1", "harbour", T0, Map.of("pm2_5", 99.0), List.of(otherDistrict)))
                .hasSize(1);
    }

    @Test
    void openAlertOfADeletedRuleClearsWithTheNextReading() {
        reading(0, 80);

        assertThat(reading(10, 80, List.of())).containsExactly(Transition.CLEARED);
        assertThat(open).isEmpty();
    }
}
