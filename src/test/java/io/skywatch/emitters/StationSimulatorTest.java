package io.skywatch.emitters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The seed-001 simulator over long runs: its distributions, its drift, its injections, its reproducibility. */
class StationSimulatorTest {

    private static final int READINGS = 20_000;
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);

    private static Map<String, double[]> series(StationSimulator simulator, int readings) {
        Map<String, double[]> values = new HashMap<>();
        for (int i = 0; i < readings; i++) {
            int index = i;
            simulator
                    .next()
                    .forEach((metric, value) ->
                            values.computeIfAbsent(metric, m -> new double[readings])[index] = value);
        }
        return values;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static double stddev(double[] values) {
        double mean = mean(values);
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        return Math.sqrt(squares / values.length);
    }

    @Test
    void eachMetricKeepsItsMeanAndStandardDeviationOverALongRun() {
        Map<String, double[]> values = series(new StationSimulator(7), READINGS);
        for (StationSimulator.Distribution d : StationSimulator.SEED_001) {
            double[] v = values.get(d.metric());
            double expectedMean = d.mean();
            double expectedStddev = d.stddev();
            if (d.clampAtZero()) {
                // max(0, X) for X ~ N(mean, sd): the censored normal's moments.
                double a = d.mean() / d.stddev();
                double pdf = Math.exp(-a * a / 2) / Math.sqrt(2 * Math.PI);
                double cdf = normalCdf(a);
                expectedMean = d.mean() * cdf + d.stddev() * pdf;
                double second = (d.mean() * d.mean() + d.stddev() * d.stddev()) * cdf + d.mean() * d.stddev() * pdf;
                expectedStddev = Math.sqrt(second - expectedMean * expectedMean);
            }
            // Following the trend makes neighbouring readings correlated, so a run's mean wanders more than
            // independent draws would (about 5 sigma / sqrt(n), 0.035 sigma here): 0.15 sigma is four of those.
            assertThat(mean(v)).as("%s mean", d.metric()).isCloseTo(expectedMean, within(0.15 * d.stddev()));
            assertThat(stddev(v)).as("%s sigma", d.metric()).isCloseTo(expectedStddev, within(0.05 * expectedStddev));
        }
    }

    @Test
    void recalibrationKeepsTheTrendCloseToTheNominalMean() {
        double recalibrated = 0;
        double trendOnly = 0;
        for (long seed = 1; seed <= 5; seed++) {
            Map<String, Double> drift = largestTrendDrift(new StationSimulator(seed));
            Map<String, Double> unchecked = largestTrendDrift(new StationSimulator(seed, StationSimulator.SEED_001, 0));
            for (Map.Entry<String, Double> metric : drift.entrySet()) {
                assertThat(metric.getValue())
                        .as("largest drift of the 300-reading trend of %s (seed %d), in sigmas", metric.getKey(), seed)
                        .isLessThan(1.5);
                recalibrated += metric.getValue();
                trendOnly += unchecked.get(metric.getKey());
            }
        }
        assertThat(recalibrated)
                .as("drift with recalibration, against following the trend alone")
                .isLessThan(trendOnly / 2);
    }

    /** Per unclamped metric, the largest distance of the 300-reading trend from the nominal mean, in sigmas. */
    private static Map<String, Double> largestTrendDrift(StationSimulator simulator) {
        Map<String, double[]> values = series(simulator, READINGS);
        Map<String, Double> drift = new HashMap<>();
        for (StationSimulator.Distribution d : StationSimulator.SEED_001) {
            if (d.clampAtZero()) {
                continue;
            }
            double[] v = values.get(d.metric());
            int window = StationSimulator.TREND_READINGS;
            double sum = 0;
            double worst = 0;
            for (int i = 0; i < v.length; i++) {
                sum += v[i];
                if (i >= window) {
                    sum -= v[i - window];
                }
                if (i >= window - 1) {
                    worst = Math.max(worst, Math.abs(sum / window - d.mean()));
                }
            }
            drift.put(d.metric(), worst / d.stddev());
        }
        return drift;
    }

    @Test
    void sameSeedGivesTheSameReadingsAndAnotherSeedOthers() {
        Injection injection = new Injection(0.01, 0.005, 4);
        List<Map<String, Double>> first = readings(new StationFleet(5, "st-", 42, injection, CLOCK), 2000);
        List<Map<String, Double>> again = readings(new StationFleet(5, "st-", 42, injection, CLOCK), 2000);
        List<Map<String, Double>> other = readings(new StationFleet(5, "st-", 43, injection, CLOCK), 2000);
        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    private static List<Map<String, Double>> readings(StationFleet fleet, int count) {
        List<Map<String, Double>> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(fleet.next().metrics());
        }
        return out;
    }

    @Test
    void injectedOutliersArePresentAtTheConfiguredRateAndLeaveTheSeriesAlone() {
        double rate = 0.01;
        StationFleet injected = new StationFleet(10, "st-", 3, new Injection(rate, 0, 0), CLOCK);
        StationFleet clean = new StationFleet(10, "st-", 3, Injection.NONE, CLOCK);
        int outliers = 0;
        int cleanOutliers = 0;
        for (int i = 0; i < READINGS; i++) {
            StationFleet.Reading reading = injected.next();
            StationFleet.Reading normal = clean.next();
            assertThat(reading.underlying()).isEqualTo(normal.metrics());
            outliers += farOff(reading.metrics());
            cleanOutliers += farOff(normal.metrics());
        }
        assertThat(cleanOutliers).as("values over 6 sigma off in normal data").isZero();
        // Binomial: 200 expected, standard deviation 14.
        assertThat(outliers).as("readings with a value over 6 sigma off").isBetween(150, 250);
    }

    /** Values more than 6 sigma from their metric's mean (what the gateway's outlier detector flags). */
    private static int farOff(Map<String, Double> metrics) {
        int found = 0;
        for (StationSimulator.Distribution d : StationSimulator.SEED_001) {
            if (!d.clampAtZero() && Math.abs(metrics.get(d.metric()) - d.mean()) > 6 * d.stddev()) {
                found++;
            }
        }
        return found;
    }

    @Test
    void injectedBreachesExceedAnAlertThresholdForTheirLengthThenEnd() {
        int stations = 4;
        int length = 5;
        StationFleet fleet = new StationFleet(stations, "st-", 11, new Injection(0, 0.01, length), CLOCK);
        Map<String, Double> thresholds =
                Map.of("particulate_matter", 45.0, "noise_level", 70.0, "temperature", 35.0, "air_quality", 300.0);
        int[] run = new int[stations];
        List<Integer> runs = new ArrayList<>();
        for (int i = 0; i < READINGS; i++) {
            StationFleet.Reading reading = fleet.next();
            int station = i % stations;
            boolean above = thresholds.entrySet().stream()
                    .anyMatch(t -> reading.metrics().get(t.getKey()) > t.getValue());
            if (above) {
                run[station]++;
            } else if (run[station] > 0) {
                runs.add(run[station]);
                run[station] = 0;
            }
        }
        // A new breach may start right after one ends, so runs are whole multiples of the length.
        assertThat(runs).isNotEmpty().allSatisfy(r -> assertThat(r % length).isZero());
        int breaches = runs.stream().mapToInt(r -> r / length).sum();
        // A breach starts with chance 0.01 per reading outside one: about 20,000 / (100 + 4) ≈ 192.
        assertThat(breaches).isBetween(140, 250);
    }

    private static double normalCdf(double x) {
        // Abramowitz-Stegun 7.1.26 on erf; error below 1.5e-7.
        double t = 1 / (1 + 0.3275911 * Math.abs(x) / Math.sqrt(2));
        double y = 1
                - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592)
                        * t
                        * Math.exp(-x * x / 2);
        return x >= 0 ? (1 + y) / 2 : (1 - y) / 2;
    }
}
