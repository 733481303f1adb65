package io.skywatch.emitters;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * An emitter run's counters and the progress line printed while it runs. Counts are of events (a batch of 50
 * readings acknowledged adds 50), except {@code requests} and {@code retried}, which count HTTP attempts.
 */
public final class Progress implements AutoCloseable {

    /** The counters at one moment. */
    public record Snapshot(
            double seconds,
            long requests,
            long acknowledged,
            long retried,
            long rejected,
            long unexpectedRejections,
            long filtered,
            long failed,
            long inFlight) {

        /** True when nothing was refused that the emitter did not mean to be refused, and nothing was given up. */
        public boolean ok() {
            return unexpectedRejections == 0 && failed == 0;
        }
    }

    final LongAdder requests = new LongAdder();
    final LongAdder acknowledged = new LongAdder();
    final LongAdder retried = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder unexpectedRejections = new LongAdder();
    final LongAdder filtered = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder inFlight = new LongAdder();

    private final String name;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService printer;
    private final PrintStream out;
    private long lastAcknowledged;
    private long lastNanos = startNanos;
    private volatile String lastProblem;

    private Progress(String name, PrintStream out, long intervalMillis) {
        this.name = name;
        this.out = out;
        if (out != null && intervalMillis > 0) {
            printer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "emit-progress");
                t.setDaemon(true);
                return t;
            });
            printer.scheduleAtFixedRate(this::print, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        } else {
            printer = null;
        }
    }

    /** Prints a progress line to {@code out} every {@code intervalMillis}. */
    public static Progress printing(String name, PrintStream out, long intervalMillis) {
        return new Progress(name, out, intervalMillis);
    }

    /** Counts without printing (tests, demo mode). */
    public static Progress silent(String name) {
        return new Progress(name, null, 0);
    }

    public String name() {
        return name;
    }

    /** Remembers the latest unexpected answer, so the summary can say what went wrong. */
    void problem(String description) {
        lastProblem = description;
    }

    public String lastProblem() {
        return lastProblem;
    }

    public Snapshot snapshot() {
        return new Snapshot(
                (System.nanoTime() - startNanos) / 1e9,
                requests.sum(),
                acknowledged.sum(),
                retried.sum(),
                rejected.sum(),
                unexpectedRejections.sum(),
                filtered.sum(),
                failed.sum(),
                inFlight.sum());
    }

    private synchronized void print() {
        Snapshot s = snapshot();
        long now = System.nanoTime();
        double rate = (s.acknowledged() - lastAcknowledged) / Math.max(1e-9, (now - lastNanos) / 1e9);
        lastAcknowledged = s.acknowledged();
        lastNanos = now;
        out.println(String.format(
                Locale.ROOT,
                "[%s] %6.1f s  %,.0f/s  acknowledged %,d  retried %,d  rejected %,d%s  in flight %d",
                name,
                s.seconds(),
                rate,
                s.acknowledged(),
                s.retried(),
                s.rejected(),
                s.filtered() > 0 ? String.format(Locale.ROOT, "  filtered %,d", s.filtered()) : "",
                s.inFlight()));
    }

    /** The end-of-run lines. */
    public String summary() {
        Snapshot s = snapshot();
        StringBuilder text = new StringBuilder(String.format(
                Locale.ROOT,
                "[%s] done in %.1f s: %,d requests, %,d events acknowledged (%,.0f/s), %,d retried, %,d rejected"
                        + " (%,d unexpected), %,d filtered, %,d given up",
                name,
                s.seconds(),
                s.requests(),
                s.acknowledged(),
                s.acknowledged() / Math.max(1e-9, s.seconds()),
                s.retried(),
                s.rejected(),
                s.unexpectedRejections(),
                s.filtered(),
                s.failed()));
        if (!s.ok() && lastProblem != null) {
            text.append(System.lineSeparator())
                    .append("[")
                    .append(name)
                    .append("] last problem: ")
                    .append(lastProblem);
        }
        return text.toString();
    }

    @Override
    public void close() {
        if (printer != null) {
            printer.shutdownNow();
        }
    }
}
