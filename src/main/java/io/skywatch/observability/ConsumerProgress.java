package io.skywatch.observability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/**
 * Decides, from successive samples of one consumer's partitions, whether it is stuck: a partition with a backlog
 * whose committed offset has not moved for {@code stuckAfter}, or no sample for {@code unansweredAfter} (the
 * broker or the polling thread does not answer). Commits follow processing (throttled strategy), so a committed offset that stands
 * still under a backlog means nothing is being stored. Not thread-safe: one sampler calls it.
 */
final class ConsumerProgress {

    /** One partition as sampled: its log end offset and the group's committed offset (or log start if none). */
    record Sample(TopicPartition partition, long endOffset, long committedOffset) {
        long lag() {
            return Math.max(0, endOffset - committedOffset);
        }
    }

    /** A partition with a backlog that has not moved. */
    record Stuck(TopicPartition partition, long lag, Duration since) {}

    private record Tracked(long committedOffset, long unchangedSinceNanos, long lag) {}

    private final Duration stuckAfter;
    private final Duration unansweredAfter;
    private final Map<TopicPartition, Tracked> partitions = new HashMap<>();
    private long lastSampleNanos;

    ConsumerProgress(Duration stuckAfter, Duration unansweredAfter, long startNanos) {
        this.stuckAfter = stuckAfter;
        this.unansweredAfter = unansweredAfter;
        this.lastSampleNanos = startNanos;
    }

    /** Takes a sample of every partition the consumer owns now; partitions not in it are forgotten. */
    void sampled(List<Sample> samples, long nowNanos) {
        lastSampleNanos = nowNanos;
        Map<TopicPartition, Tracked> next = new HashMap<>();
        for (Sample sample : samples) {
            Tracked before = partitions.get(sample.partition());
            boolean moved = before == null || before.committedOffset() != sample.committedOffset();
            // The clock starts when a backlog appears or the commit moves, not while there is nothing to do.
            boolean idleBefore = before == null || before.lag() == 0;
            long since = moved || sample.lag() == 0 || idleBefore ? nowNanos : before.unchangedSinceNanos();
            next.put(sample.partition(), new Tracked(sample.committedOffset(), since, sample.lag()));
        }
        partitions.clear();
        partitions.putAll(next);
    }

    /** Partitions stuck at {@code nowNanos}. */
    List<Stuck> stuck(long nowNanos) {
        List<Stuck> stuck = new ArrayList<>();
        partitions.forEach((partition, tracked) -> {
            Duration still = Duration.ofNanos(nowNanos - tracked.unchangedSinceNanos());
            if (tracked.lag() > 0 && still.compareTo(stuckAfter) >= 0) {
                stuck.add(new Stuck(partition, tracked.lag(), still));
            }
        });
        return stuck;
    }

    /**
     * How long no sample has come, when that is {@code unansweredAfter} or more (the broker is unreachable, or the
     * consumer's polling thread does not answer); empty otherwise.
     */
    Optional<Duration> silentFor(long nowNanos) {
        Duration silence = Duration.ofNanos(nowNanos - lastSampleNanos);
        return silence.compareTo(unansweredAfter) >= 0 ? Optional.of(silence) : Optional.empty();
    }

    /** Backlog per partition at the last sample. */
    Map<TopicPartition, Long> lags() {
        Map<TopicPartition, Long> lags = new HashMap<>();
        partitions.forEach((partition, tracked) -> lags.put(partition, tracked.lag()));
        return lags;
    }
}
