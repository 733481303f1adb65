package io.skywatch.reports;

import io.skywatch.aggregates.Stats;
import io.skywatch.sensors.SensorMetric;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A day across all stations and districts, built from hourly summaries: per metric the range and mean, the
 * station-hours whose mean was above the metric's threshold, and the stations that fared worst.
 *
 * @param complete false while some of the day's windows are still open (the day, or its last hour, is recent)
 * @param stations stations that reported that day
 */
public record DailyReport(
        LocalDate date,
        Instant from,
        Instant to,
        boolean complete,
        int stations,
        Map<String, MetricSummary> metrics,
        Map<String, DistrictSummary> districts) {

    /** District name used for stations that have none. */
    public static final String NO_DISTRICT = "(none)";
    /** Worst stations listed per metric. */
    static final int WORST = 5;

    /**
     * A metric over the day.
     *
     * @param threshold the lowest raise level of the metric's alert rules that apply city-wide; null when none
     * @param hoursAboveThreshold station-hours whose mean was above the threshold
     * @param worstStations most hours above the threshold first, then highest daily mean
     */
    public record MetricSummary(
            String unit,
            long count,
            double min,
            double max,
            double mean,
            Double threshold,
            int hoursAboveThreshold,
            List<StationSummary> worstStations) {}

    /** A station's day for one metric. */
    public record StationSummary(String stationId, String district, double mean, double max, int hoursAboveThreshold) {}

    /** A district's day. */
    public record DistrictSummary(int stations, Map<String, DistrictMetric> metrics) {}

    /** A metric over a district's day. */
    public record DistrictMetric(long count, double min, double max, double mean, int hoursAboveThreshold) {}

    /**
     * Builds the report.
     *
     * @param hourly per station, per hour start, per metric: that hour's summary
     * @param districts station id → district; stations missing here count under {@link #NO_DISTRICT}
     * @param thresholds metric → threshold
     */
    static DailyReport build(
            LocalDate date,
            Instant from,
            Instant to,
            boolean complete,
            Map<String, Map<Instant, Map<String, Stats>>> hourly,
            Map<String, String> districts,
            Map<String, Double> thresholds) {
        Map<String, Stats> cityStats = new TreeMap<>();
        Map<String, Integer> cityHoursAbove = new HashMap<>();
        Map<String, List<StationSummary>> stationsByMetric = new HashMap<>();
        Map<String, Map<String, Stats>> districtStats = new TreeMap<>();
        Map<String, Map<String, Integer>> districtHoursAbove = new HashMap<>();
        Map<String, Integer> districtStations = new HashMap<>();

        hourly.forEach((stationId, hours) -> {
            String district = districts.getOrDefault(stationId, NO_DISTRICT);
            districtStations.merge(district, 1, Integer::sum);
            Map<String, Stats> stationDay = new HashMap<>();
            Map<String, Integer> stationHoursAbove = new HashMap<>();
            hours.values()
                    .forEach(metrics -> metrics.forEach((metric, stats) -> {
                        stationDay.computeIfAbsent(metric, m -> new Stats()).merge(stats);
                        Double threshold = thresholds.get(metric);
                        if (threshold != null && stats.count > 0 && stats.mean > threshold) {
                            stationHoursAbove.merge(metric, 1, Integer::sum);
                        }
                    }));
            stationDay.forEach((metric, stats) -> {
                int above = stationHoursAbove.getOrDefault(metric, 0);
                cityStats.computeIfAbsent(metric, m -> new Stats()).merge(stats);
                cityHoursAbove.merge(metric, above, Integer::sum);
                districtStats
                        .computeIfAbsent(district, d -> new TreeMap<>())
                        .computeIfAbsent(metric, m -> new Stats())
                        .merge(stats);
                districtHoursAbove
                        .computeIfAbsent(district, d -> new HashMap<>())
                        .merge(metric, above, Integer::sum);
                stationsByMetric
                        .computeIfAbsent(metric, m -> new ArrayList<>())
                        .add(new StationSummary(stationId, district, stats.mean, stats.max, above));
            });
        });

        Map<String, MetricSummary> metrics = new TreeMap<>();
        cityStats.forEach((metric, stats) -> {
            SensorMetric known = SensorMetric.byName(metric);
            List<StationSummary> worst = stationsByMetric.get(metric).stream()
                    .sorted(Comparator.comparingInt(StationSummary::hoursAboveThreshold)
                            .thenComparingDouble(StationSummary::mean)
                            .reversed()
                            .thenComparing(StationSummary::stationId))
                    .limit(WORST)
                    .toList();
            metrics.put(
                    metric,
                    new MetricSummary(
                            known == null ? null : known.unit(),
                            stats.count,
                            stats.min,
                            stats.max,
                            stats.mean,
                            thresholds.get(metric),
                            cityHoursAbove.getOrDefault(metric, 0),
                            worst));
        });
        Map<String, DistrictSummary> districtSummaries = new TreeMap<>();
        districtStats.forEach((district, byMetric) -> {
            Map<String, DistrictMetric> summary = new TreeMap<>();
            byMetric.forEach((metric, stats) -> summary.put(
                    metric,
                    new DistrictMetric(
                            stats.count,
                            stats.min,
                            stats.max,
                            stats.mean,
                            districtHoursAbove.get(district).getOrDefault(metric, 0))));
            districtSummaries.put(district, new DistrictSummary(districtStations.get(district), summary));
        });
        return new DailyReport(date, from, to, complete, hourly.size(), metrics, districtSummaries);
    }
}
