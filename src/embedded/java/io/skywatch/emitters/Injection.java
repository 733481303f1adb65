package io.skywatch.emitters;

import java.util.List;
import java.util.Random;

/**
 * What the station simulator injects on top of its normal data, so that the gateway's alerts have something to
 * find. Injected values replace what is sent only: the station's underlying series (and its trend) carries on
 * as if nothing happened, so injection never makes a station drift.
 *
 * @param outlierRate share of readings in which one metric is replaced by a value {@link #OUTLIER_SIGMAS} standard
 *     deviations from its mean (either side), which the outlier detector (z above 6) flags
 * @param breachRate per reading, the chance that a station not already breaching starts a breach: one metric above
 *     a default alert rule's threshold for {@code breachLength} readings, then back to normal, so the alert raises
 *     and then clears
 * @param breachLength readings a breach lasts
 */
public record Injection(double outlierRate, double breachRate, int breachLength) {

    /** Distance of an injected outlier from the metric's mean, in standard deviations. */
    public static final double OUTLIER_SIGMAS = 8;

    /** Nothing injected. */
    public static final Injection NONE = new Injection(0, 0, 0);

    /**
     * A breach: a value well above a default alert rule's {@code raiseAbove} (README, "Alerts") and far above the
     * seed-001 distribution, so it raises the rule's alert (and usually an outlier alert too).
     */
    public record Breach(String metric, double value, String rule) {}

    /** One breach per default rule the seed-001 metrics can meet. */
    public static final List<Breach> BREACHES = List.of(
            new Breach("particulate_matter", 60, "particulate_matter WARNING above 45"),
            new Breach("noise_level", 78, "noise_level WARNING above 70"),
            new Breach("temperature", 38, "temperature WARNING above 35"),
            new Breach("air_quality", 340, "air_quality CRITICAL above 300"));

    public Injection {
        if (outlierRate < 0 || outlierRate > 1 || breachRate < 0 || breachRate > 1) {
            throw new IllegalArgumentException("rates are between 0 and 1");
        }
        if (breachRate > 0 && breachLength < 1) {
            throw new IllegalArgumentException("a breach lasts at least one reading");
        }
    }

    /** A breach value with a little noise, so a breach does not look like a stuck sensor. */
    static double breachValue(Breach breach, Random random) {
        return Math.round(breach.value() * (1 + 0.02 * random.nextGaussian()) * 100) / 100.0;
    }
}
