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
 */
final class StoreRate {

    private record Point(long nanos, long stored) {}

    private final long windowNanos;
    private final Deque<Point> points = new ArrayDeque<>();
    private Map<TopicPartition, Long> lastCommitted = Map.of();
    private long stored;
    // Read on every ingest request, so worked out once per sample rather than on each read.
    private volatile double perSecond;

    StoreRate(Duration window) {
        this.windowNanos = window.toNanos();
    }

    /** Takes one sample: each partition's committed offset (or where its consumption starts) at {@code nanos}. */
    synchronized void sampled(long nanos, Map<TopicPartition, Long> committed) {
        for (Map.Entry<TopicPartition, Long> partition : committed.entrySet()) {
            Long before = lastCommitted.get(partition.getKey());
            // A partition seen for the first time has no progress to count yet; an offset that went back (the group
            // was reset) is not storing either.
            if (before != null && partition.getValue() > before) {
                stored += partition.getValue() - before;
            }
        }
        lastCommitted = new HashMap<>(committed);
        points.addLast(new Point(nanos, stored));
        // Keep the latest point at least a window old, as the start of the window ending now.
        while (points.size() > 1 && nanos - secondOldest().nanos() >= windowNanos) {
            points.removeFirst();
        }
        Point windowStart = points.peekFirst();
        long elapsed = nanos - windowStart.nanos();
        perSecond = elapsed >= windowNanos ? (stored - windowStart.stored()) * 1e9 / elapsed : 0;
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
}
