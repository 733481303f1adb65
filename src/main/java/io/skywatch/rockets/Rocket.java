package io.skywatch.rockets;

import java.time.Instant;
import java.util.List;

/**
 * A rocket as the query API shows it.
 *
 * @param channel rocket id
 * @param type rocket type, e.g. Falcon-9
 * @param mission current mission
 * @param speed current speed
 * @param status LAUNCHED or EXPLODED
 * @param explosionReason why it exploded, when it did
 * @param launchTime when it was launched (UTC)
 * @param lastMessageNumber last message applied in order
 * @param lastMessageTime time of that message (UTC)
 * @param missingMessageNumbers numbers not yet received below the highest received one (first ones only)
 * @param missingCount how many numbers are missing in all
 * @param pendingMessages messages received ahead of a missing number, waiting to be applied
 * @param skippedMessageNumbers ranges of numbers the gap policy stopped waiting for
 * @param skippedCount how many numbers were skipped in all
 */
public record Rocket(
        String channel,
        String type,
        String mission,
        long speed,
        RocketStatus status,
        String explosionReason,
        Instant launchTime,
        long lastMessageNumber,
        Instant lastMessageTime,
        List<Long> missingMessageNumbers,
        long missingCount,
        int pendingMessages,
        List<Skipped> skippedMessageNumbers,
        long skippedCount) {

    /** Numbers {@code from..to} skipped by the gap policy at {@code declaredAt}. */
    public record Skipped(long from, long to, Instant declaredAt) {}

    static Rocket of(RocketProjection projection) {
        return new Rocket(
                projection.channel,
                projection.type,
                projection.mission,
                projection.speed,
                projection.status,
                projection.explosionReason,
                projection.launchTime,
                projection.lastMessageNumber,
                projection.lastMessageTime,
                List.copyOf(projection.missingMessageNumbers),
                projection.missingCount,
                projection.pending.size(),
                projection.skipped.stream()
                        .map(r -> new Skipped(r.from, r.to, r.declaredAt))
                        .toList(),
                projection.skippedCount);
    }
}
