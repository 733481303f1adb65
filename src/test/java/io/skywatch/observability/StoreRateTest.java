package io.skywatch.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class StoreRateTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();
    private static final TopicPartition P0 = new TopicPartition("rockets", 0);
    private static final TopicPartition P1 = new TopicPartition("rockets", 1);

    private final StoreRate rate = new StoreRate(Duration.ofSeconds(5), Duration.ofMinutes(1));

    @Test
    void rateIsKnownOnlyOnceAWholeWindowHasBeenSampled() {
        for (int second = 0; second < 5; second++) {
            rate.sampled(second * SECOND, Map.of(P0, second * 300L, P1, 1_000 + second * 100L), 0);
        }
        assertThat(rate.perSecond()).isZero();

        rate.sampled(5 * SECOND, Map.of(P0, 1_500L, P1, 1_500L), 0);
        assertThat(rate.perSecond()).isCloseTo(400, within(0.001));
    }

    @Test
    void commitsLandingInEveryOtherSampleAverageOutOverTheWindow() {
        long committed = 0;
        for (int second = 0; second <= 20; second++) {
            // Two seconds' worth of records in one commit, none in the next sample.
            if (second % 2 == 0) {
                committed = second * 1_000L;
            }
            rate.sampled(second * SECOND, Map.of(P0, committed), 0);
            if (second >= 5) {
                assertThat(rate.perSecond()).as("at %d s", second).isBetween(800.0, 1_200.0);
            }
        }
    }

    @Test
    void aStallShowsWithinTheWindowWhateverTheRateBefore() {
        long committed = 0;
        for (int second = 0; second <= 60; second++) {
            committed += 2_000;
            rate.sampled(second * SECOND, Map.of(P0, committed), 0);
        }
        assertThat(rate.perSecond()).isCloseTo(2_000, within(0.001));

        for (int second = 61; second <= 63; second++) {
            committed += 200;
            rate.sampled(second * SECOND, Map.of(P0, committed), 0);
        }
        assertThat(rate.perSecond()).as("two of five seconds at the old rate").isCloseTo(920, within(0.001));
        for (int second = 64; second <= 65; second++) {
            committed += 200;
            rate.sampled(second * SECOND, Map.of(P0, committed), 0);
        }
        assertThat(rate.perSecond()).isCloseTo(200, within(0.001));
    }

    @Test
    void partitionsAppearingOrGoingBackAreNotCountedAsStored() {
        for (int second = 0; second <= 5; second++) {
            rate.sampled(second * SECOND, Map.of(P0, 1_000L + second * 10), 0);
        }
        // A partition first seen at a high offset, and a reset of the other to its start: neither was stored now.
        rate.sampled(6 * SECOND, Map.of(P0, 0L, P1, 50_000L), 0);
        for (int second = 7; second <= 11; second++) {
            rate.sampled(second * SECOND, Map.of(P0, (second - 6) * 10L, P1, 50_000L + (second - 6) * 10), 0);
        }
        assertThat(rate.perSecond()).isCloseTo(20, within(0.001));
    }

    @Test
    void aStallAtARateTheStoreKeptUpWithCountsOnThatRate() {
        Feed feed = new Feed();
        feed.seconds(0, 30, 800, 800);
        assertThat(rate.catchUpRate()).isCloseTo(800, within(0.001));

        // Three seconds without a commit while events keep coming at the same rate.
        feed.seconds(31, 33, 0, 800);
        assertThat(rate.perSecond()).isCloseTo(320, within(0.001));
        assertThat(rate.catchUpRate()).isCloseTo(800, within(0.001));
    }

    @Test
    void acceptingFasterThanTheStoreEverStoredCountsOnlyWhatItStored() {
        Feed feed = new Feed();
        feed.seconds(0, 30, 1_000, 1_000);
        feed.seconds(31, 35, 1_000, 3_000);
        assertThat(rate.catchUpRate())
                .as("accepted 3,000/s, stored 1,000/s at best")
                .isCloseTo(1_000, within(0.001));

        // The store starves and the bound refuses: what is accepted falls to what is stored.
        feed.seconds(36, 40, 200, 200);
        assertThat(rate.catchUpRate()).isCloseTo(200, within(0.001));
    }

    @Test
    void aRateStoredLongerAgoThanTheMemoryNoLongerCounts() {
        Feed feed = new Feed();
        feed.seconds(0, 10, 2_000, 2_000);
        feed.seconds(11, 40, 300, 1_000);
        assertThat(rate.catchUpRate()).as("2,000/s stored 30 s ago").isCloseTo(1_000, within(0.001));
        feed.seconds(41, 80, 300, 1_000);
        assertThat(rate.catchUpRate()).isCloseTo(300, within(0.001));
    }

    /** One sample a second, with what was stored and accepted in each second added to the running totals. */
    private final class Feed {
        private long committed;
        private long accepted;

        void seconds(int first, int last, long storedPerSecond, long acceptedPerSecond) {
            for (int second = first; second <= last; second++) {
                committed += storedPerSecond;
                accepted += acceptedPerSecond;
                rate.sampled(second * SECOND, Map.of(P0, committed), accepted);
            }
        }
    }
}
