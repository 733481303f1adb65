package io.skywatch.aggregates;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A station's open tumbling windows, kept in its state document so they are exactly as durable as the readings
 * applied to them. Windows follow measurement time: a minute closes once the station's latest measurement is
 * {@code allowedLateness} past its end; a closed minute is merged into its hour, which closes the same way.
 * A station that goes quiet has its ended windows closed by {@link #closeIdle}. A reading for a window that
 * has closed is late: it stays in the stored readings but not in the aggregates.
 * Readings are deduplicated by their key within the open minutes, which is what makes a redelivered
 * reading without a sequence number count once.
 */
public class StationWindows {

    /** The latest measurement time taken into a window. */
    public Instant watermark;
    /** Every window ending at or before this has closed; a reading for one of them is late. */
    public Instant horizon;

    public List<OpenWindow> minutes = new ArrayList<>();
    public List<OpenWindow> hours = new ArrayList<>();
    /** Readings that came after their window had closed. */
    public long late;

    /** A window still taking readings. */
    public static class OpenWindow {
        public Instant start;
        public Map<String, Stats> metrics = new HashMap<>();
        /** Dedupe keys of the readings in it; kept on minutes only. */
        public List<String> keys = new ArrayList<>();

        public OpenWindow() {}

        OpenWindow(Instant start) {
            this.start = start;
        }

        OpenWindow copy() {
            OpenWindow copy = new OpenWindow(start);
            metrics.forEach((metric, stats) -> copy.metrics.put(metric, stats.copy()));
            copy.keys = new ArrayList<>(keys);
            return copy;
        }
    }

    /** A window that has closed: final, to be stored. */
    public record Closed(WindowSize size, Instant start, Map<String, Stats> metrics) {}

    /** What became of a reading. */
    public enum Outcome {
        TAKEN,
        DUPLICATE,
        LATE
    }

    /**
     * Takes a reading into its minute, then closes the windows its time has moved past.
     *
     * @param closed receives the windows this reading closed
     */
    public Outcome add(
            String key, Instant at, Map<String, Double> values, Duration allowedLateness, List<Closed> closed) {
        Instant minuteStart = WindowSize.MINUTE.startOf(at);
        if (horizon != null && !WindowSize.MINUTE.endOf(minuteStart).isAfter(horizon)) {
            late++;
            return Outcome.LATE;
        }
        OpenWindow minute = open(minutes, minuteStart);
        if (minute.keys.contains(key)) {
            return Outcome.DUPLICATE;
        }
        minute.keys.add(key);
        values.forEach((metric, value) ->
                minute.metrics.computeIfAbsent(metric, m -> new Stats()).add(value));
        if (watermark == null || at.isAfter(watermark)) {
            watermark = at;
            closeUpTo(watermark.minus(allowedLateness), closed);
        }
        return Outcome.TAKEN;
    }

    /**
     * How far a quiet station's windows may close: its latest measurement time moved on by how long it has been
     * quiet, less the allowed lateness. A station reporting live closes its windows as if the readings had kept
     * coming; one that replayed old data closes only what that much more of its own time would have closed.
     *
     * @return null when the station has no watermark yet
     */
    public Instant idleHorizon(Duration quietFor, Duration allowedLateness) {
        return watermark == null ? null : watermark.plus(quietFor).minus(allowedLateness);
    }

    /**
     * Closes the windows a quiet station's {@link #idleHorizon} has passed: nothing else moves its watermark.
     *
     * @return whether any window closed
     */
    public boolean closeIdle(Duration quietFor, Duration allowedLateness, List<Closed> closed) {
        Instant upTo = idleHorizon(quietFor, allowedLateness);
        if (upTo == null) {
            return false;
        }
        int before = closed.size();
        closeUpTo(upTo, closed);
        return closed.size() > before;
    }

    /** Whether an open window ended at or before {@code at}. */
    public boolean hasWindowEndedBy(Instant at) {
        return minutes.stream()
                        .anyMatch(
                                window -> !WindowSize.MINUTE.endOf(window.start).isAfter(at))
                || hours.stream()
                        .anyMatch(window -> !WindowSize.HOUR.endOf(window.start).isAfter(at));
    }

    /** Whether any window is open. */
    public boolean hasOpenWindows() {
        return !minutes.isEmpty() || !hours.isEmpty();
    }

    private void closeUpTo(Instant upTo, List<Closed> closed) {
        if (horizon != null && !upTo.isAfter(horizon)) {
            return;
        }
        horizon = upTo;
        minutes.sort((a, b) -> a.start.compareTo(b.start));
        for (Iterator<OpenWindow> it = minutes.iterator(); it.hasNext(); ) {
            OpenWindow minute = it.next();
            if (WindowSize.MINUTE.endOf(minute.start).isAfter(upTo)) {
                break;
            }
            it.remove();
            closed.add(new Closed(WindowSize.MINUTE, minute.start, minute.metrics));
            OpenWindow hour = open(hours, WindowSize.HOUR.startOf(minute.start));
            minute.metrics.forEach((metric, stats) ->
                    hour.metrics.computeIfAbsent(metric, m -> new Stats()).merge(stats));
        }
        hours.sort((a, b) -> a.start.compareTo(b.start));
        for (Iterator<OpenWindow> it = hours.iterator(); it.hasNext(); ) {
            OpenWindow hour = it.next();
            if (WindowSize.HOUR.endOf(hour.start).isAfter(upTo)) {
                break;
            }
            it.remove();
            closed.add(new Closed(WindowSize.HOUR, hour.start, hour.metrics));
        }
    }

    private static OpenWindow open(List<OpenWindow> windows, Instant start) {
        for (OpenWindow window : windows) {
            if (window.start.equals(start)) {
                return window;
            }
        }
        OpenWindow created = new OpenWindow(start);
        windows.add(created);
        return created;
    }

    /**
     * The windows of a size that are still open, as they stand: an open hour includes its open minutes.
     */
    public Map<Instant, Map<String, Stats>> openWindows(WindowSize size) {
        Map<Instant, Map<String, Stats>> open = new HashMap<>();
        if (size == WindowSize.HOUR) {
            hours.forEach(hour -> mergeInto(open, hour.start, hour.metrics));
        }
        minutes.forEach(minute -> mergeInto(open, size.startOf(minute.start), minute.metrics));
        return open;
    }

    private static void mergeInto(Map<Instant, Map<String, Stats>> windows, Instant start, Map<String, Stats> metrics) {
        Map<String, Stats> target = windows.computeIfAbsent(start, s -> new HashMap<>());
        metrics.forEach((metric, stats) ->
                target.computeIfAbsent(metric, m -> new Stats()).merge(stats));
    }

    public StationWindows copy() {
        StationWindows copy = new StationWindows();
        copy.watermark = watermark;
        copy.horizon = horizon;
        minutes.forEach(window -> copy.minutes.add(window.copy()));
        hours.forEach(window -> copy.hours.add(window.copy()));
        copy.late = late;
        return copy;
    }
}
