package io.skywatch.sequencing;

import java.time.Instant;

/**
 * Message numbers a channel stopped waiting for: the gap policy gave up on {@code from..to} (inclusive) at
 * {@code declaredAt}. Mutable with public fields so it is stored as-is inside a projection document.
 */
public class SkippedRange {

    public long from;
    public long to;
    public Instant declaredAt;

    public SkippedRange() {}

    public SkippedRange(long from, long to, Instant declaredAt) {
        this.from = from;
        this.to = to;
        this.declaredAt = declaredAt;
    }

    public boolean contains(long number) {
        return number >= from && number <= to;
    }

    public long size() {
        return to - from + 1;
    }
}
