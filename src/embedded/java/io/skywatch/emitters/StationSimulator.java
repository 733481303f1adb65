package io.skywatch.emitters;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The station simulator of seed 001: each metric drawn from its normal distribution around a base that follows
 * the trend of the station's last 300 readings, pulled back toward the nominal mean by a recalibration rate of
 * 0.2 so it does not drift away. Wind speed and rainfall are clamped at 0. Reproducible from its seed.
 */
public final class StationSimulator {

    /** A metric's nominal distribution. */
    public record Distribution(String metric, double mean, double stddev, boolean clampAtZero) {}

    /** Seed 001's distributions. */
    public static final List<Distribution> SEED_001 = List.of(
            new Distribution("temperature", 25, 2, false),
            new Distribution("humidity", 60, 3, false),
            new Distribution("pressure", 1013, 2, false),
            new Distribution("air_quality", 200, 20, false),
            new Distribution("particulate_matter", 30, 2, false),
            new Distribution("noise_level", 50, 3, false),
            new Distribution("illuminance", 500, 50, false),
            new Distribution("wind_speed", 5, 20, true),
            new Distribution("rainfall", 0, 3, true));

    /** Readings whose mean is the trend a metric follows. */
    public static final int TREND_READINGS = 300;
    /** Share of the way from the trend back to the nominal mean taken at every reading. */
    public static final double RECALIBRATION_RATE = 0.2;

    private final Random random;
    private final List<Distribution> distributions;
    private final double recalibrationRate;
    private final Map<String, Deque<Double>> history = new LinkedHashMap<>();
    private final Map<String, Double> historySums = new LinkedHashMap<>();

    public StationSimulator(long seed) {
        this(seed, SEED_001);
    }

    public StationSimulator(long seed, List<Distribution> distributions) {
        this(seed, distributions, RECALIBRATION_RATE);
    }

    /** With another recalibration rate: 0 follows the trend alone, which tests compare against. */
    public StationSimulator(long seed, List<Distribution> distributions, double recalibrationRate) {
        this.random = new Random(seed);
        this.distributions = List.copyOf(distributions);
        this.recalibrationRate = recalibrationRate;
    }

    /** The next reading's values, by metric. */
    public Map<String, Double> next() {
        Map<String, Double> values = new LinkedHashMap<>();
        for (Distribution distribution : distributions) {
            Deque<Double> recent = history.computeIfAbsent(distribution.metric(), m -> new ArrayDeque<>());
            double trend =
                    recent.isEmpty() ? distribution.mean() : historySums.get(distribution.metric()) / recent.size();
            double base = trend + recalibrationRate * (distribution.mean() - trend);
            double raw = base + random.nextGaussian() * distribution.stddev();
            recent.addLast(raw);
            historySums.merge(distribution.metric(), raw, Double::sum);
            if (recent.size() > TREND_READINGS) {
                historySums.merge(distribution.metric(), -recent.removeFirst(), Double::sum);
            }
            double value = distribution.clampAtZero() ? Math.max(0, raw) : raw;
            // Two decimals, as a station would report, so values survive JSON unchanged.
            values.put(distribution.metric(), Math.round(value * 100) / 100.0);
        }
        return values;
    }
}
