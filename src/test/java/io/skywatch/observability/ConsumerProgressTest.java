package io.skywatch.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ConsumerProgressTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();
    private static final TopicPartition P0 = new TopicPartition("rockets", 0);
    private static final TopicPartition P1 = new TopicPartition("rockets", 1);

    private final ConsumerProgress progress = new ConsumerProgress(Duration.ofSeconds(60), Duration.ofSeconds(15), 0);

    private static ConsumerProgress.Sample sample(TopicPartition partition, long end, long committed) {
        return new ConsumerProgress.Sample(partition, end, committed);
    }

    @Test
    void backlogWithoutCommitsForTheStuckTimeIsStuck() {
        progress.sampled(List.of(sample(P0, 500, 100), sample(P1, 10, 10)), 0);
        progress.sampled(List.of(sample(P0, 900, 100), sample(P1, 20, 20)), 59 * SECOND);
        assertThat(progress.stuck(59 * SECOND)).isEmpty();

        progress.sampled(List.of(sample(P0, 1200, 100), sample(P1, 30, 30)), 60 * SECOND);
        assertThat(progress.stuck(60 * SECOND)).singleElement().satisfies(stuck -> {
            assertThat(stuck.partition()).isEqualTo(P0);
            assertThat(stuck.lag()).isEqualTo(1100);
            assertThat(stuck.since()).isEqualTo(Duration.ofSeconds(60));
        });
    }

    @Test
    void aMovingCommitIsProgressHoweverLargeTheBacklog() {
        for (int i = 0; i <= 10; i++) {
            progress.sampled(List.of(sample(P0, 100_000 + i * 1000L, i * 10L)), i * 30 * SECOND);
        }
        assertThat(progress.stuck(300 * SECOND)).isEmpty();
        assertThat(progress.lags()).containsEntry(P0, 110_000L - 100L);
    }

    @Test
    void aQuietPartitionWithNothingToDoIsNotStuck() {
        progress.sampled(List.of(sample(P0, 42, 42)), 0);
        progress.sampled(List.of(sample(P0, 42, 42)), 600 * SECOND);
        assertThat(progress.stuck(600 * SECOND)).isEmpty();
    }

    @Test
    void theStuckClockStartsWhenTheBacklogAppears() {
        progress.sampled(List.of(sample(P0, 42, 42)), 0);
        progress.sampled(List.of(sample(P0, 50, 42)), 100 * SECOND);
        assertThat(progress.stuck(150 * SECOND)).isEmpty();
        progress.sampled(List.of(sample(P0, 60, 42)), 160 * SECOND);
        assertThat(progress.stuck(160 * SECOND))
                .extracting(ConsumerProgress.Stuck::partition)
                .containsExactly(P0);
    }

    @Test
    void revokedPartitionsAreForgotten() {
        progress.sampled(List.of(sample(P0, 500, 100)), 0);
        progress.sampled(List.of(sample(P1, 5, 5)), 120 * SECOND);
        assertThat(progress.stuck(120 * SECOND)).isEmpty();
        assertThat(progress.lags()).containsOnlyKeys(P1);
    }

    @Test
    void noAnswerForTheUnansweredTimeIsReported() {
        progress.sampled(List.of(), 10 * SECOND);
        assertThat(progress.silentFor(24 * SECOND)).isEmpty();
        assertThat(progress.silentFor(25 * SECOND)).contains(Duration.ofSeconds(15));
    }
}
