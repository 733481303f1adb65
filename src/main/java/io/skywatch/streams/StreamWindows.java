package io.skywatch.streams;

import io.quarkus.mongodb.panache.common.MongoEntity;
import io.skywatch.aggregates.Stats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.bson.codecs.pojo.annotations.BsonId;

/**
 * The open aggregation windows of one partition of a run-time stream, with the last offset applied to them:
 * a redelivered record (offset at or below it) is skipped, so each record counts once although windows span
 * many keys. Windows follow event time (acceptance time for streams without one) and close once the partition's
 * latest event time is the allowed lateness past their end; later events for them count as late.
 */
@MongoEntity(collection = StreamWindows.COLLECTION)
public class StreamWindows {

    public static final String COLLECTION = "stream_partition_windows";

    /** {@code <stream>|<partition>}. */
    @BsonId
    public String id;

    public String stream;
    public int partition;
    public long lastOffset = -1;
    public Instant watermark;
    /** Every window ending at or before this has closed. */
    public Instant horizon;

    public List<Window> open = new ArrayList<>();
    public long late;
    public long version;

    /** One aggregation's window. */
    public static class Window {
        public String aggregation;
        public Instant start;
        public Instant end;
        /** For counts: occurrences per value of the field; a list, since values are not safe as Mongo keys. */
        public List<Count> counts = new ArrayList<>();
        /** For stats: summary of the field. */
        public Stats stats;

        Window copy() {
            Window copy = new Window();
            copy.aggregation = aggregation;
            copy.start = start;
            copy.end = end;
            counts.forEach(count -> copy.counts.add(new Count(count.value, count.count)));
            copy.stats = stats == null ? null : stats.copy();
            return copy;
        }

        void count(String value) {
            for (Count count : counts) {
                if (count.value.equals(value)) {
                    count.count++;
                    return;
                }
            }
            counts.add(new Count(value, 1));
        }
    }

    /** How often a value occurred in a window. */
    public static class Count {
        public String value;
        public long count;

        public Count() {}

        Count(String value, long count) {
            this.value = value;
            this.count = count;
        }
    }

    /** What an event contributes to one aggregation: a value counted, or a number summarised. */
    record Contribution(String aggregation, Duration window, String countedValue, Double number) {}

    static StreamWindows empty(String stream, int partition) {
        StreamWindows windows = new StreamWindows();
        windows.id = stream + "|" + partition;
        windows.stream = stream;
        windows.partition = partition;
        return windows;
    }

    /**
     * Applies one event (the caller skips offsets already applied); windows it closes are added to {@code closed}.
     *
     * @return false when the event was late for every window it belongs to
     */
    boolean apply(Instant at, List<Contribution> contributions, Duration lateness, List<Window> closed) {
        boolean counted = false;
        for (Contribution contribution : contributions) {
            long length = contribution.window().toMillis();
            Instant start = Instant.ofEpochMilli(Math.floorDiv(at.toEpochMilli(), length) * length);
            Instant end = start.plus(contribution.window());
            if (horizon != null && !end.isAfter(horizon)) {
                continue;
            }
            Window window = window(contribution.aggregation(), start, end);
            if (contribution.countedValue() != null) {
                window.count(contribution.countedValue());
            } else {
                if (window.stats == null) {
                    window.stats = new Stats();
                }
                window.stats.add(contribution.number());
            }
            counted = true;
        }
        if (!contributions.isEmpty() && !counted) {
            late++;
        }
        if (watermark == null || at.isAfter(watermark)) {
            watermark = at;
            closed.addAll(closeUpTo(watermark.minus(lateness)));
        }
        return counted || contributions.isEmpty();
    }

    /**
     * Closes the windows ended by {@code upTo}; the horizon moves there, so later events for them are late.
     *
     * @return the windows closed
     */
    List<Window> closeUpTo(Instant upTo) {
        if (horizon == null || upTo.isAfter(horizon)) {
            horizon = upTo;
        }
        List<Window> closed = new ArrayList<>();
        for (Iterator<Window> it = open.iterator(); it.hasNext(); ) {
            Window window = it.next();
            if (!window.end.isAfter(horizon)) {
                it.remove();
                closed.add(window);
            }
        }
        return closed;
    }

    private Window window(String aggregation, Instant start, Instant end) {
        for (Window window : open) {
            if (window.aggregation.equals(aggregation) && window.start.equals(start)) {
                return window;
            }
        }
        Window created = new Window();
        created.aggregation = aggregation;
        created.start = start;
        created.end = end;
        open.add(created);
        return created;
    }

    StreamWindows copy() {
        StreamWindows copy = empty(stream, partition);
        copy.lastOffset = lastOffset;
        copy.watermark = watermark;
        copy.horizon = horizon;
        open.forEach(window -> copy.open.add(window.copy()));
        copy.late = late;
        copy.version = version;
        return copy;
    }
}
