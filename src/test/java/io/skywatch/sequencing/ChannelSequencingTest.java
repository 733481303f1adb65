package io.skywatch.sequencing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ChannelSequencingTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final GapPolicy POLICY = new GapPolicy(Duration.ofSeconds(10), 3);

    private static ChannelSequencing.State<Long> fresh() {
        return new ChannelSequencing.State<>(0, new TreeMap<>(), new ArrayList<>(), null);
    }

    private static ChannelSequencing.Step<Long> step(
            ChannelSequencing.State<Long> state, Instant now, Long... arrivals) {
        return ChannelSequencing.step(state, List.of(arrivals), Long::longValue, POLICY, now);
    }

    @Test
    void waitsForAMissingNumberWithinThePolicy() {
        var step = step(fresh(), T0, 1L, 3L, 4L);

        assertThat(step.ready()).containsExactly(1L);
        assertThat(step.state().pending()).containsOnlyKeys(3L, 4L);
        assertThat(step.state().waitingSince()).isEqualTo(T0);
        assertThat(step.newlySkipped()).isZero();
    }

    @Test
    void givesUpWhenTooManyMessagesWait() {
        var step = step(fresh(), T0, 1L, 3L, 4L, 5L, 7L);

        assertThat(step.ready()).containsExactly(1L, 3L, 4L, 5L);
        assertThat(step.state().lastApplied()).isEqualTo(5);
        assertThat(step.state().skipped())
                .extracting(r -> r.from, r -> r.to)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2L, 2L));
        assertThat(step.state().pending()).containsOnlyKeys(7L);
        assertThat(step.newlySkipped()).isEqualTo(1);
    }

    @Test
    void givesUpAfterTheTimeoutEvenWithoutNewArrivals() {
        var waiting = step(fresh(), T0, 1L, 4L).state();

        var tooEarly = step(waiting, T0.plusSeconds(9));
        var expired = step(waiting, T0.plusSeconds(10));

        assertThat(tooEarly.changed()).isFalse();
        assertThat(expired.changed()).isTrue();
        assertThat(expired.ready()).containsExactly(4L);
        assertThat(ChannelSequencing.count(expired.state().skipped())).isEqualTo(2);
        assertThat(expired.state().waitingSince()).isNull();
    }

    @Test
    void skippedNumberArrivingLateAsksForARebuildOnce() {
        var skipped =
                step(step(fresh(), T0, 1L, 5L).state(), T0.plusSeconds(10)).state();
        assertThat(skipped.skipped())
                .extracting(r -> r.from, r -> r.to)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2L, 4L));

        var late = step(skipped, T0.plusSeconds(11), 3L, 3L);

        assertThat(late.rebuild()).isTrue();
        assertThat(late.late()).containsExactly(3L);
        assertThat(late.duplicates()).isEqualTo(1);
        assertThat(late.state().skipped())
                .extracting(r -> r.from, r -> r.to)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(2L, 2L), org.assertj.core.groups.Tuple.tuple(4L, 4L));
        assertThat(step(late.state(), T0.plusSeconds(12), 3L).rebuild()).isFalse();
    }

    @Test
    void onlyDuplicatesChangeNothing() {
        var state = step(fresh(), T0, 1L, 2L).state();

        var again = step(state, T0.plusSeconds(1), 1L, 2L);

        assertThat(again.changed()).isFalse();
        assertThat(again.duplicates()).isEqualTo(2);
    }
}
