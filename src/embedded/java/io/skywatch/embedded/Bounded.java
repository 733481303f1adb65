package io.skywatch.embedded;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/** Runs a stop action with a deadline, so that a server that hangs in shutdown cannot hang its caller. */
final class Bounded {

    private static final System.Logger LOG = System.getLogger(Bounded.class.getName());

    private Bounded() {}

    /**
     * Runs {@code action} on its own daemon thread and waits at most {@code timeout}.
     *
     * @return true if the action finished (with or without an error) in time
     */
    static boolean run(String name, Duration timeout, Runnable action) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(
                () -> {
                    try {
                        action.run();
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                },
                name);
        // Daemon: if the deadline passes, the stuck thread must not keep the JVM alive.
        thread.setDaemon(true);
        thread.start();
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.log(Level.WARNING, "{0} did not finish within {1} s; giving up on it", name, timeout.toSeconds());
            return false;
        }
        if (failure.get() != null) {
            LOG.log(Level.WARNING, name + " failed", failure.get());
        }
        return true;
    }
}
