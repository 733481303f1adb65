package io.skywatch.observability;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * How fast a pipeline's consumers store, from successive samples of its committed offsets: the rate over the last
 * {@code window}. The window spans several commits (they come once a second) so that one sample catching two
 * commits, or none, does not count as a burst or a stall.
 *
 * <p>Not the best rate seen lately: in an overload on two cores the store can fall from 2,000 to 200 records per
 * second for several seconds (the broker's and the store's collections starved of CPU), and a backlog sized by the
 * earlier rate then takes several times as long to store.
 *
 * <p>The rate the backlog bound counts on ({@link #catchUpRate()}) is that, or, when higher, the rate at which
 * events are accepted, up to the best window rate the store reached within the last {@code memory}. A store that
 * stalls for three seconds at a rate it sustains is not overloaded, yet its window rate falls to a fraction of
 * that rate, and the bound then refused events at a rate the pipeline kept up with (RESULTS.md, Fixes, twelfth
 * session). In an overload the accepted rate falls to the stored one within a window once the bound refuses.
 */
final class StoreRate {

    private record Point(long nanos, long stored, long accepted) {}

    private record WindowRate(long nanos, double perSecond) {}

    private final long windowNanos;
    private final long memoryNanos;
    private final Deque<Point> points = new ArrayDeque<>();
    private final Deque<WindowRate> recentRates = new ArrayDeque<>();
    private Map<TopicPartition, Long> lastCommitted = Map.of();
    private long stored;
    // Read on every ingest request, so worked out once per sample rather than on each read.
    private volatile double perSecond;
    private volatile double catchUpRate;

    StoreRate(Duration window, Duration memory) {
        this.windowNanos = window.toNanos();
        this.memoryNanos = memory.toNanos();
    }

    /**
     * Takes one sample: each partition's committed offset (or where its consumption starts) at {@code nanos}, and
     * the count of records accepted so far ({@code accepted}, any start).
     */
    synchronized void sampled(long nanos, Map<TopicPartition, Long> committed, long accepted) {
        for (Map.Entry<TopicPartition, Long> partition : committed.entrySet()) {
            Long before = lastCommitted.get(partition.getKey());
            // A partition seen for the first time has no progress to count yet; an offset that went back (the group
            // was reset) is not storing either.
            if (before != null && partition.getValue() > before) {
                stored += partition.getValue() - before;
            }
        }
        lastCommitted = new HashMap<>(committed);
        points.addLast(new Point(nanos, stored, accepted));
        // Keep the latest point at least a window old, as the start of the window ending now.
        while (points.size() > 1 && nanos - secondOldest().nanos() >= windowNanos) {
            points.removeFirst();
        }
        Point windowStart = points.peekFirst();
        long elapsed = nanos - windowStart.nanos();
        if (elapsed < windowNanos) {
            perSecond = 0;
            catchUpRate = 0;
            return;
        }
        double storedPerSecond = (stored - windowStart.stored()) * 1e9 / elapsed;
        double acceptedPerSecond = Math.max(0, (accepted - windowStart.accepted()) * 1e9 / elapsed);
        recentRates.addLast(new WindowRate(nanos, storedPerSecond));
        while (nanos - recentRates.peekFirst().nanos() > memoryNanos) {
            recentRates.removeFirst();
        }
        double best = 0;
        for (WindowRate rate : recentRates) {
            best = Math.max(best, rate.perSecond());
        }
        perSecond = storedPerSecond;
        catchUpRate = Math.max(storedPerSecond, Math.min(best, acceptedPerSecond));
    }

    private Point secondOldest() {
        Iterator<Point> oldestFirst = points.iterator();
        oldestFirst.next();
        return oldestFirst.next();
    }

    /** Records per second over the window before the last sample; 0 before a whole window has been sampled. */
    double perSecond() {
        return perSecond;
    }

    /**
     * The higher of {@link #perSecond()} and the rate accepted over the same window, the latter at most the best
     * window rate of the store within the memory; 0 before a whole window has been sampled.
     */
    double catchUpRate() {
        return catchUpRate;
    }
}
