package io.skywatch.emitters;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Reading timestamps: the clock's time in milliseconds, but always after the same station's previous one.
 * Readings without a sequence number are deduplicated by timestamp, so two of a station in one millisecond
 * would count once.
 */
final class StationClock {

    private final Clock clock;
    private final Instant[] last;

    StationClock(Clock clock, int stations) {
        this.clock = clock;
        this.last = new Instant[stations];
    }

    Instant next(int station) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant timestamp = last[station] != null && !now.isAfter(last[station]) ? last[station].plusMillis(1) : now;
        last[station] = timestamp;
        return timestamp;
    }
}
