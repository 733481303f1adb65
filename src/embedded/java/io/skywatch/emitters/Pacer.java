package io.skywatch.emitters;

import java.time.Duration;

/**
 * Spaces a generator's sends to a steady rate and ends its run: after {@code maxEvents} events, after
 * {@code maxDuration}, or when {@link #stop()} is called (demo mode runs until then). The schedule is absolute
 * (event {@code n} is due at {@code start + n / rate}), so a slow send is caught up on instead of lowering the
 * rate for good.
 */
public final class Pacer {

    private final double eventsPerSecond;
    private final long maxEvents;
    private final long deadlineNanos;
    private final long startNanos = System.nanoTime();
    private long issued;
    private volatile boolean stopped;

    /**
     * @param eventsPerSecond 0 or less for as fast as the sender takes them
     * @param maxEvents 0 or less for no limit
     * @param maxDuration null or zero for no limit
     */
    public Pacer(double eventsPerSecond, long maxEvents, Duration maxDuration) {
        this.eventsPerSecond = eventsPerSecond;
        this.maxEvents = maxEvents;
        this.deadlineNanos =
                maxDuration == null || maxDuration.isZero() ? Long.MAX_VALUE : startNanos + maxDuration.toNanos();
    }

    /**
     * Waits until the next {@code wanted} events are due and returns how many may go now (fewer at the count
     * limit), or 0 when the run is over.
     */
    public int next(int wanted) throws InterruptedException {
        int allowed = maxEvents > 0 ? (int) Math.min(wanted, maxEvents - issued) : wanted;
        if (allowed <= 0 || stopped) {
            return 0;
        }
        if (eventsPerSecond > 0) {
            long due = startNanos + (long) (issued * 1e9 / eventsPerSecond);
            while (!stopped) {
                long wait = due - System.nanoTime();
                if (wait <= 0) {
                    break;
                }
                if (System.nanoTime() + wait > deadlineNanos) {
                    return 0; // the run ends before these are due
                }
                Thread.sleep(Math.min(200, Math.max(1, wait / 1_000_000)));
            }
        }
        if (stopped || System.nanoTime() >= deadlineNanos) {
            return 0;
        }
        issued += allowed;
        return allowed;
    }

    public long issued() {
        return issued;
    }

    public void stop() {
        stopped = true;
    }

    public boolean stopped() {
        return stopped;
    }
}
