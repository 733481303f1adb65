package io.skywatch.sequencing;

import java.time.Duration;
import java.time.Instant;

/**
 * When a channel stops waiting for a missing message number: after {@code timeout} of waiting, or as soon as
 * more than {@code maxPending} later messages are held back.
 *
 * @param timeout longest wait for the message after the last applied one
 * @param maxPending most messages held per channel while waiting
 */
public record GapPolicy(Duration timeout, int maxPending) {

    boolean givesUp(int pending, Instant waitingSince, Instant now) {
        if (pending == 0) {
            return false;
        }
        return pending > maxPending || !waitingSince.plus(timeout).isAfter(now);
    }
}
