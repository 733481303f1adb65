package io.skywatch.alerts;

import io.skywatch.config.SkywatchConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Judges each reading of a metric against the station's recent readings of it, so a wild or stuck sensor is
 * flagged even when it stays under every threshold. The recent values live in the station's state document
 * (passed in and updated in place), which makes the check replay exactly like the readings do.
 */
public final class OutlierDetector {

    /** Rule id prefix of outlier alerts; the metric follows. */
    public static final String OUTLIER = "outlier:";
    /** Rule id prefix of flat-line alerts; the metric follows. */
    public static final String FLATLINE = "flatline:";

    /** A z-score the JSON of an alert can carry when the spread is zero but the value moved. */
    private static final double Z_CAP = 1e6;

    private final boolean enabled;
    private final int window;
    private final int minSamples;
    private final double raiseZ;
    private final double clearZ;
    private final Severity severity;
    private final long coolDownSeconds;
    private final Set<String> zScoreExempt;
    private final Set<String> flatlineExempt;

    public OutlierDetector(SkywatchConfig.Outliers config) {
        this(
                config.enabled(),
                config.window(),
                config.minSamples(),
                config.raiseZ(),
                config.clearZ(),
                config.severity(),
                config.coolDown().toSeconds(),
                config.zScoreExempt(),
                config.flatlineExempt());
    }

    OutlierDetector(
            boolean enabled,
            int window,
            int minSamples,
            double raiseZ,
            double clearZ,
            Severity severity,
            long coolDownSeconds,
            Set<String> zScoreExempt,
            Set<String> flatlineExempt) {
        if (minSamples < 2 || minSamples > window) {
            throw new IllegalArgumentException("outliers: min-samples must be between 2 and window (" + window + ")");
        }
        if (clearZ > raiseZ) {
            throw new IllegalArgumentException("outliers: clear-z must not be above raise-z");
        }
        this.enabled = enabled;
        this.window = window;
        this.minSamples = minSamples;
        this.raiseZ = raiseZ;
        this.clearZ = clearZ;
        this.severity = severity;
        this.coolDownSeconds = coolDownSeconds;
        this.zScoreExempt = Set.copyOf(zScoreExempt);
        this.flatlineExempt = Set.copyOf(flatlineExempt);
    }

    /** Whether an alert's rule id belongs to this detector while it is switched on. */
    public boolean defines(String ruleId) {
        return enabled && (ruleId.startsWith(OUTLIER) || ruleId.startsWith(FLATLINE));
    }

    /**
     * The outlier and flat-line conditions of a reading, judged against {@code recent}; then adds the reading's
     * values to {@code recent}, keeping the last {@code window} of each metric.
     */
    public List<AlertTracker.Condition> check(Map<String, List<Double>> recent, Map<String, Double> values) {
        List<AlertTracker.Condition> conditions = new ArrayList<>();
        if (!enabled) {
            return conditions;
        }
        values.forEach((metric, value) -> {
            List<Double> history = recent.computeIfAbsent(metric, m -> new ArrayList<>());
            if (!zScoreExempt.contains(metric) && history.size() >= minSamples) {
                double z = zScore(history, value);
                if (!Double.isNaN(z)) {
                    conditions.add(condition(OUTLIER + metric, Alert.Kind.OUTLIER, metric, raiseZ, clearZ, z, value));
                }
            }
            history.add(value);
            if (history.size() > window) {
                history.subList(0, history.size() - window).clear();
            }
            if (!flatlineExempt.contains(metric) && history.size() == window) {
                double flat = history.stream().allMatch(v -> v.doubleValue() == value) ? 1 : 0;
                conditions.add(condition(FLATLINE + metric, Alert.Kind.FLATLINE, metric, 0.5, 0.5, flat, value));
            }
        });
        return conditions;
    }

    /** |value − mean| / standard deviation of the history; NaN when the history has no spread (flat line's job). */
    static double zScore(List<Double> history, double value) {
        double mean = 0;
        double m2 = 0;
        int n = 0;
        for (double v : history) {
            n++;
            double delta = v - mean;
            mean += delta / n;
            m2 += delta * (v - mean);
        }
        double stddev = Math.sqrt(m2 / n);
        if (stddev == 0) {
            return Double.NaN;
        }
        return Math.min(Math.abs(value - mean) / stddev, Z_CAP);
    }

    private AlertTracker.Condition condition(
            String ruleId, Alert.Kind kind, String metric, double raise, double clear, double signal, double value) {
        return new AlertTracker.Condition(
                ruleId, kind, metric, severity, raise, clear, coolDownSeconds, signal, value, null);
    }
}
