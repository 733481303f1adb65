package io.skywatch.sequencing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ReorderBufferTest {

    private static ReorderBuffer.Offer<Long> offer(
            long lastApplied, NavigableMap<Long, Long> pending, Long... arrivals) {
        return ReorderBuffer.offer(lastApplied, pending, List.of(arrivals), Long::longValue);
    }

    @Test
    void inOrderArrivalsAreReadyAtOnce() {
        var offer = offer(0, new TreeMap<>(), 1L, 2L, 3L);

        assertThat(offer.ready()).containsExactly(1L, 2L, 3L);
        assertThat(offer.pending()).isEmpty();
        assertThat(offer.lastApplied()).isEqualTo(3);
        assertThat(offer.duplicates()).isZero();
    }

    @Test
    void earlyArrivalWaitsUntilTheGapFills() {
        var first = offer(0, new TreeMap<>(), 3L, 2L);
        assertThat(first.ready()).isEmpty();
        assertThat(first.pending()).containsOnlyKeys(2L, 3L);
        assertThat(ReorderBuffer.missingNumbers(0, first.pending(), 10)).containsExactly(1L);

        var second = offer(first.lastApplied(), first.pending(), 1L);
        assertThat(second.ready()).containsExactly(1L, 2L, 3L);
        assertThat(second.pending()).isEmpty();
    }

    @Test
    void appliedAndWaitingNumbersAreDuplicates() {
        TreeMap<Long, Long> pending = new TreeMap<>(java.util.Map.of(7L, 7L));

        var offer = offer(5, pending, 4L, 5L, 7L, 7L);

        assertThat(offer.duplicates()).isEqualTo(4);
        assertThat(offer.unchanged(4)).isTrue();
        assertThat(offer.ready()).isEmpty();
    }

    @Test
    void duplicateWithinOneBatchIsDroppedOnce() {
        var offer = offer(0, new TreeMap<>(), 1L, 1L, 2L);

        assertThat(offer.ready()).containsExactly(1L, 2L);
        assertThat(offer.duplicates()).isEqualTo(1);
        assertThat(offer.unchanged(3)).isFalse();
    }

    @Test
    void missingNumbersAreListedInOrderAndCountedBeyondTheLimit() {
        TreeMap<Long, Long> pending = new TreeMap<>();
        for (long n : new long[] {4, 7, 20}) {
            pending.put(n, n);
        }

        assertThat(ReorderBuffer.missingNumbers(1, pending, 5)).containsExactly(2L, 3L, 5L, 6L, 8L);
        assertThat(ReorderBuffer.missingCount(1, pending)).isEqualTo(16);
        assertThat(ReorderBuffer.missingCount(1, new TreeMap<>())).isZero();
    }
}
