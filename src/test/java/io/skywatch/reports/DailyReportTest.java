package io.skywatch.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.skywatch.aggregates.Stats;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DailyReportTest {

    private static final LocalDate DAY = LocalDate.parse("2026-11-25");
    private static final Instant MIDNIGHT = Instant.parse("2026-11-25T00:00:00Z");

    private final Map<String, Map<Instant, Map<String, Stats>>> hourly = new HashMap<>();

    private void hour(String station, int hour, double... values) {
        Stats stats = new Stats();
        for (double value : values) {
            stats.add(value);
        }
        hourly.computeIfAbsent(station, s -> new HashMap<>())
                .put(MIDNIGHT.plusSeconds(hour * 3600L), Map.of("pm10", stats));
    }

    @Test
    void summarisesTheCityAndEachDistrictAndRanksTheWorstStations() {
        hour("north-1", 0, 10, 20);
        hour("north-1", 1, 50, 60);
        hour("north-2", 0, 30);
        hour("south-1", 5, 100, 44);
        hour("loose", 3, 1);

        DailyReport report = DailyReport.build(
                DAY,
                MIDNIGHT,
                MIDNIGHT.plusSeconds(86_400),
                true,
                hourly,
                Map.of("north-1", "north", "north-2", "north", "south-1", "south"),
                Map.of("pm10", 45.0));

        assertThat(report.stations()).isEqualTo(4);
        DailyReport.MetricSummary pm10 = report.metrics().get("pm10");
        assertThat(pm10.count()).isEqualTo(8);
        assertThat(pm10.min()).isEqualTo(1);
        assertThat(pm10.max()).isEqualTo(100);
        assertThat(pm10.mean()).isEqualTo((10 + 20 + 50 + 60 + 30 + 100 + 44 + 1) / 8.0);
        assertThat(pm10.unit()).isEqualTo("µg/m³");
        assertThat(pm10.threshold()).isEqualTo(45.0);
        assertThat(pm10.hoursAboveThreshold())
                .as("north-1 01:00 (mean 55) and south-1 05:00 (72)")
                .isEqualTo(2);
        assertThat(pm10.worstStations())
                .extracting(DailyReport.StationSummary::stationId)
                .containsExactly("south-1", "north-1", "north-2", "loose");

        DailyReport.DistrictSummary north = report.districts().get("north");
        assertThat(north.stations()).isEqualTo(2);
        assertThat(north.metrics().get("pm10").max()).isEqualTo(60);
        assertThat(north.metrics().get("pm10").hoursAboveThreshold()).isEqualTo(1);
        assertThat(report.districts()).containsKeys("south", DailyReport.NO_DISTRICT);
    }

    @Test
    void metricWithoutARuleHasNoThresholdAndNoHoursAbove() {
        hour("a", 0, 1000);

        DailyReport report =
                DailyReport.build(DAY, MIDNIGHT, MIDNIGHT.plusSeconds(86_400), false, hourly, Map.of(), Map.of());

        assertThat(report.metrics().get("pm10").threshold()).isNull();
        assertThat(report.metrics().get("pm10").hoursAboveThreshold()).isZero();
        assertThat(report.complete()).isFalse();
    }
}
