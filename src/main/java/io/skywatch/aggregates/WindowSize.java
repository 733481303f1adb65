package io.skywatch.aggregates;

import java.time.Duration;
import java.time.Instant;

/** The tumbling windows aggregates are kept for, aligned to UTC. */
public enum WindowSize {
    MINUTE("1m", Duration.ofMinutes(1)),
    HOUR("1h", Duration.ofHours(1));

    private final String label;
    private final Duration length;

    WindowSize(String label, Duration length) {
        this.label = label;
        this.length = length;
    }

    public String label() {
        return label;
    }

    public Duration length() {
        return length;
    }

    public Instant startOf(Instant at) {
        long millis = length.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(at.toEpochMilli(), millis) * millis);
    }

    public Instant endOf(Instant start) {
        return start.plus(length);
    }

    /** The size with this label ({@code 1m}, {@code 1h}), or null. */
    public static WindowSize byLabel(String label) {
        for (WindowSize size : values()) {
            if (size.label.equals(label)) {
                return size;
            }
        }
        return null;
    }
}
