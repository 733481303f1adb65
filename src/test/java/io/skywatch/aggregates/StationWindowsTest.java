package io.skywatch.aggregates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StationWindowsTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final Duration LATENESS = Duration.ofSeconds(30);

    private final StationWindows windows = new StationWindows();
    private final List<StationWindows.Closed> closed = new ArrayList<>();

    private StationWindows.Outcome add(int secondsAfter, double value) {
        Instant at = T0.plusSeconds(secondsAfter);
        return windows.add("ts:" + at, at, Map.of("pm10", value), LATENESS, closed);
    }

    @Test
    void minuteClosesOnceReadingsAreTheAllowedLatenessPastItsEnd() {
        add(0, 10);
        add(59, 20);
        add(89, 30);
        assertThat(closed).as("29 s past the end: still open").isEmpty();

        add(90, 40);

        assertThat(closed).hasSize(1);
        StationWindows.Closed minute = closed.get(0);
        assertThat(minute.size()).isEqualTo(WindowSize.MINUTE);
        assertThat(minute.start()).isEqualTo(T0);
        Stats stats = minute.metrics().get("pm10");
        assertThat(stats.count).isEqualTo(2);
        assertThat(stats.min).isEqualTo(10);
        assertThat(stats.max).isEqualTo(20);
        assertThat(stats.mean).isEqualTo(15);
        assertThat(stats.stddev()).isEqualTo(5);
    }

    @Test
    void readingForAClosedMinuteIsLateAndCountsNowhere() {
        add(0, 10);
        add(95, 10);

        assertThat(add(30, 1000)).isEqualTo(StationWindows.Outcome.LATE);
        assertThat(closed.get(0).metrics().get("pm10").count).isEqualTo(1);
        assertThat(windows.late).isEqualTo(1);
    }

    @Test
    void sameReadingTwiceCountsOnce() {
        assertThat(add(5, 10)).isEqualTo(StationWindows.Outcome.TAKEN);
        assertThat(add(5, 10)).isEqualTo(StationWindows.Outcome.DUPLICATE);
        assertThat(windows.openWindows(WindowSize.MINUTE).get(T0).get("pm10").count)
                .isEqualTo(1);
    }

    @Test
    void outOfOrderReadingsWithinTheLatenessLandInTheirOwnMinute() {
        add(65, 1);
        assertThat(add(55, 2)).isEqualTo(StationWindows.Outcome.TAKEN);

        Map<Instant, Map<String, Stats>> open = windows.openWindows(WindowSize.MINUTE);
        assertThat(open.get(T0).get("pm10").max).isEqualTo(2);
        assertThat(open.get(T0.plusSeconds(60)).get("pm10").max).isEqualTo(1);
    }

    @Test
    void hourEqualsTheSummaryOfAllItsReadingsWhetherClosedOrStillOpen() {
        Random random = new Random(7);
        Stats direct = new Stats();
        for (int second = 0; second < 3600; second += 7) {
            double value = 40 + random.nextGaussian() * 5;
            direct.add(value);
            add(second, value);
        }
        Stats open = windows.openWindows(WindowSize.HOUR).get(T0).get("pm10");
        assertThat(open.count).isEqualTo(direct.count);
        assertThat(open.mean).isCloseTo(direct.mean, within(1e-9));
        assertThat(open.stddev()).isCloseTo(direct.stddev(), within(1e-9));

        add(3600 + 31, 1);

        StationWindows.Closed hour = closed.stream()
                .filter(window -> window.size() == WindowSize.HOUR)
                .findFirst()
                .orElseThrow();
        Stats stats = hour.metrics().get("pm10");
        assertThat(stats.count).isEqualTo(direct.count);
        assertThat(stats.min).isEqualTo(direct.min);
        assertThat(stats.max).isEqualTo(direct.max);
        assertThat(stats.mean).isCloseTo(direct.mean, within(1e-9));
        assertThat(stats.stddev()).isCloseTo(direct.stddev(), within(1e-9));
        assertThat(closed.stream().filter(window -> window.size() == WindowSize.MINUTE))
                .hasSize(60);
        assertThat(windows.hours).isEmpty();
    }

    @Test
    void quietStationClosesWhatItsOwnTimeMovedOnByTheQuietWouldHaveClosed() {
        add(0, 10);
        add(70, 20);

        assertThat(windows.closeIdle(Duration.ofSeconds(10), LATENESS, closed))
                .as("70 + 10 - 30 = 50 s: the first minute has not ended")
                .isFalse();
        assertThat(windows.closeIdle(Duration.ofSeconds(25), LATENESS, closed)).isTrue();
        assertThat(closed).extracting(StationWindows.Closed::start).containsExactly(T0);
        assertThat(add(59, 1)).as("its minute has closed").isEqualTo(StationWindows.Outcome.LATE);
        assertThat(add(75, 1)).isEqualTo(StationWindows.Outcome.TAKEN);
    }

    @Test
    void copyIsIndependentOfTheOriginal() {
        add(0, 10);
        StationWindows copy = windows.copy();

        copy.add("ts:x", T0.plusSeconds(1), Map.of("pm10", 99.0), LATENESS, new ArrayList<>());

        assertThat(windows.openWindows(WindowSize.MINUTE).get(T0).get("pm10").count)
                .isEqualTo(1);
        assertThat(copy.openWindows(WindowSize.MINUTE).get(T0).get("pm10").count)
                .isEqualTo(2);
    }
}
