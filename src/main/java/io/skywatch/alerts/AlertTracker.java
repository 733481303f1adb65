package io.skywatch.alerts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The alert lifecycle of one station, as a pure function over its state: raise above the threshold, follow
 * the peak while open, clear below the clearing level, then keep quiet for the cool-down. The caller keeps
 * the maps in the station's state document, so the lifecycle is exactly as durable (and as exactly-once) as
 * the readings that drive it.
 */
public final class AlertTracker {

    private AlertTracker() {}

    /** What a reading did to an alert. */
    public enum Transition {
        RAISED,
        UPDATED,
        CLEARED
    }

    /** An alert as a reading changed it, and how. */
    public record Change(Alert alert, Transition transition) {}

    /** An alert that is open for a rule: what later readings of the rule need to know. */
    public static class OpenAlert {
        public String alertId;
        public Instant raisedAt;
        public double raisedValue;
        public double peakValue;

        public OpenAlert() {}

        OpenAlert(String alertId, Instant raisedAt, double value) {
            this.alertId = alertId;
            this.raisedAt = raisedAt;
            this.raisedValue = value;
            this.peakValue = value;
        }
    }

    /**
     * Takes one reading through the rules.
     *
     * @param open open alerts by rule id; updated in place
     * @param lastCleared when each rule last cleared for this station; updated in place
     * @return the alerts raised, grown or cleared by this reading, to be stored
     */
    public static List<Change> apply(
            Map<String, OpenAlert> open,
            Map<String, Instant> lastCleared,
            String stationId,
            String district,
            Instant at,
            Map<String, Double> metrics,
            List<AlertRule> rules) {
        List<Change> changed = new ArrayList<>();
        Set<String> ruleIds = rules.stream().map(rule -> rule.id).collect(Collectors.toSet());
        // A rule deleted while its alert was open: nothing will clear it any more, so this reading does.
        for (String ruleId : List.copyOf(open.keySet())) {
            if (!ruleIds.contains(ruleId)) {
                OpenAlert gone = open.remove(ruleId);
                changed.add(new Change(cleared(gone, ruleId, stationId, null, at, gone.peakValue), Transition.CLEARED));
            }
        }
        for (AlertRule rule : rules) {
            Double value = metrics.get(rule.metric);
            if (value == null || !rule.appliesTo(stationId, district, rule.metric)) {
                continue;
            }
            OpenAlert current = open.get(rule.id);
            if (current == null) {
                Instant quietUntil = lastCleared.containsKey(rule.id)
                        ? lastCleared.get(rule.id).plusSeconds(rule.coolDownSeconds)
                        : Instant.MIN;
                if (value > rule.raiseAbove && !at.isBefore(quietUntil)) {
                    OpenAlert raised = new OpenAlert(Alert.idOf(stationId, rule.id, at), at, value);
                    open.put(rule.id, raised);
                    changed.add(new Change(
                            alert(raised, rule.id, stationId, rule, Alert.State.OPEN, null, value), Transition.RAISED));
                }
            } else if (value < rule.clearBelow) {
                open.remove(rule.id);
                lastCleared.put(rule.id, at);
                changed.add(new Change(cleared(current, rule.id, stationId, rule, at, value), Transition.CLEARED));
            } else if (value > current.peakValue) {
                current.peakValue = value;
                changed.add(new Change(
                        alert(current, rule.id, stationId, rule, Alert.State.OPEN, null, value), Transition.UPDATED));
            }
        }
        return changed;
    }

    private static Alert cleared(
            OpenAlert alert, String ruleId, String stationId, AlertRule rule, Instant at, double value) {
        return alert(alert, ruleId, stationId, rule, Alert.State.CLEARED, at, value);
    }

    private static Alert alert(
            OpenAlert open,
            String ruleId,
            String stationId,
            AlertRule rule,
            Alert.State state,
            Instant clearedAt,
            double lastValue) {
        Alert alert = new Alert();
        alert.id = open.alertId;
        alert.ruleId = ruleId;
        alert.stationId = stationId;
        if (rule != null) {
            alert.metric = rule.metric;
            alert.severity = rule.severity;
            alert.threshold = rule.raiseAbove;
        }
        alert.state = state;
        alert.raisedAt = open.raisedAt;
        alert.raisedValue = open.raisedValue;
        alert.peakValue = open.peakValue;
        alert.lastValue = lastValue;
        alert.clearedAt = clearedAt;
        alert.updatedAt = Instant.now();
        return alert;
    }
}
