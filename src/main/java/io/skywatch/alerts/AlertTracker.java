package io.skywatch.alerts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
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
        /** The signal at the peak: the value itself for thresholds, the z-score for outliers. */
        public double peakSignal;

        public OpenAlert() {}

        OpenAlert(String alertId, Instant raisedAt, double value, double signal) {
            this.alertId = alertId;
            this.raisedAt = raisedAt;
            this.raisedValue = value;
            this.peakValue = value;
            this.peakSignal = signal;
        }

        public OpenAlert copy() {
            OpenAlert copy = new OpenAlert(alertId, raisedAt, raisedValue, peakSignal);
            copy.peakValue = peakValue;
            return copy;
        }
    }

    /**
     * One thing a reading is judged on: a signal (the value itself for a threshold rule, its z-score for an
     * outlier check) against a raise level and a lower clearing level.
     *
     * @param ruleId what the alert is for; one open alert per station and rule id
     * @param signal what is compared with the levels
     * @param value the metric's value, as the alert reports it
     * @param threshold the rule's threshold in the metric's unit, or null when the signal is not the value
     */
    public record Condition(
            String ruleId,
            Alert.Kind kind,
            String metric,
            Severity severity,
            double raiseAbove,
            double clearBelow,
            long coolDownSeconds,
            double signal,
            double value,
            Double threshold) {

        static Condition of(AlertRule rule, double value) {
            return new Condition(
                    rule.id,
                    Alert.Kind.THRESHOLD,
                    rule.metric,
                    rule.severity,
                    rule.raiseAbove,
                    rule.clearBelow,
                    rule.coolDownSeconds,
                    value,
                    value,
                    rule.raiseAbove);
        }
    }

    /** The threshold conditions of the rules that apply to a reading. */
    public static List<Condition> thresholds(
            String stationId, String district, Map<String, Double> metrics, List<AlertRule> rules) {
        List<Condition> conditions = new ArrayList<>();
        for (AlertRule rule : rules) {
            Double value = metrics.get(rule.metric);
            if (value != null && rule.appliesTo(stationId, district, rule.metric)) {
                conditions.add(Condition.of(rule, value));
            }
        }
        return conditions;
    }

    /** Takes one reading through the threshold rules. */
    public static List<Change> apply(
            Map<String, OpenAlert> open,
            Map<String, Instant> lastCleared,
            String stationId,
            String district,
            Instant at,
            Map<String, Double> metrics,
            List<AlertRule> rules) {
        Set<String> ruleIds = rules.stream().map(rule -> rule.id).collect(Collectors.toSet());
        return apply(
                open, lastCleared, stationId, at, thresholds(stationId, district, metrics, rules), ruleIds::contains);
    }

    /**
     * Takes one reading through its conditions.
     *
     * @param open open alerts by rule id; updated in place
     * @param lastCleared when each rule last cleared for this station; updated in place
     * @param stillDefined whether a rule id still exists; an open alert of one that does not is cleared
     * @return the alerts raised, grown or cleared by this reading, to be stored
     */
    public static List<Change> apply(
            Map<String, OpenAlert> open,
            Map<String, Instant> lastCleared,
            String stationId,
            Instant at,
            List<Condition> conditions,
            Predicate<String> stillDefined) {
        List<Change> changed = new ArrayList<>();
        // A rule deleted while its alert was open: nothing will clear it any more, so this reading does.
        for (String ruleId : List.copyOf(open.keySet())) {
            if (!stillDefined.test(ruleId)) {
                OpenAlert gone = open.remove(ruleId);
                changed.add(
                        new Change(alert(gone, ruleId, stationId, null, Alert.State.CLEARED, at), Transition.CLEARED));
            }
        }
        for (Condition condition : conditions) {
            OpenAlert current = open.get(condition.ruleId());
            if (current == null) {
                Instant quietUntil = lastCleared.containsKey(condition.ruleId())
                        ? lastCleared.get(condition.ruleId()).plusSeconds(condition.coolDownSeconds())
                        : Instant.MIN;
                if (condition.signal() > condition.raiseAbove() && !at.isBefore(quietUntil)) {
                    OpenAlert raised = new OpenAlert(
                            Alert.idOf(stationId, condition.ruleId(), at), at, condition.value(), condition.signal());
                    open.put(condition.ruleId(), raised);
                    changed.add(new Change(
                            alert(raised, condition.ruleId(), stationId, condition, Alert.State.OPEN, null),
                            Transition.RAISED));
                }
            } else if (condition.signal() < condition.clearBelow()) {
                open.remove(condition.ruleId());
                lastCleared.put(condition.ruleId(), at);
                changed.add(new Change(
                        alert(current, condition.ruleId(), stationId, condition, Alert.State.CLEARED, at),
                        Transition.CLEARED));
            } else if (condition.signal() > current.peakSignal) {
                current.peakSignal = condition.signal();
                current.peakValue = condition.value();
                changed.add(new Change(
                        alert(current, condition.ruleId(), stationId, condition, Alert.State.OPEN, null),
                        Transition.UPDATED));
            }
        }
        return changed;
    }

    private static Alert alert(
            OpenAlert open,
            String ruleId,
            String stationId,
            Condition condition,
            Alert.State state,
            Instant clearedAt) {
        Alert alert = new Alert();
        alert.id = open.alertId;
        alert.ruleId = ruleId;
        alert.stationId = stationId;
        alert.state = state;
        alert.raisedAt = open.raisedAt;
        alert.raisedValue = open.raisedValue;
        alert.peakValue = open.peakValue;
        alert.lastValue = open.peakValue;
        if (condition != null) {
            alert.kind = condition.kind();
            alert.metric = condition.metric();
            alert.severity = condition.severity();
            alert.threshold = condition.threshold();
            alert.lastValue = condition.value();
            if (condition.kind() != Alert.Kind.THRESHOLD) {
                alert.score = open.peakSignal;
            }
        }
        alert.clearedAt = clearedAt;
        alert.updatedAt = Instant.now();
        return alert;
    }
}
