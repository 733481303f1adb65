package io.skywatch.ingest;

import io.quarkus.logging.Log;
import io.skywatch.config.SkywatchConfig;
import io.skywatch.observability.ConsumerLagMonitor;
import io.skywatch.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Bounds the events that are published and not yet acknowledged by the broker. When Kafka slows down the
 * bound fills up and further requests get 503 + Retry-After at once, instead of queueing without limit;
 * a publish that outlives the timeout also becomes a 503, so the emitter's retry is what recovers it.
 *
 * <p>It also refuses a pipeline's events while the pipeline's unstored backlog is over its {@link BacklogBound}
 * ({@code skywatch.ingest.max-backlog}, {@code max-catch-up}): Kafka takes bursts, but sustained overload must not
 * grow the delay to MongoDB without bound, nor the time to recover once the load drops.
 *
 * <p>After a publish times out, requests are turned away at once for the Retry-After period rather than each
 * waiting out the full timeout against a broker that is probably down; the first request after that period
 * probes again, and any acknowledgement closes the window.
 */
@ApplicationScoped
public class IngestAdmission {

    /** The unstored backlog of a pipeline, in records, as last sampled, and how fast it is stored. */
    @FunctionalInterface
    public interface Backlogs {
        long of(String stream);

        /**
         * Records per second the pipeline's consumers can be counted on to store: what they stored lately, or the
         * accepted rate when they kept up with it lately; 0 if not known.
         */
        default double catchUpRate(String stream) {
            return 0;
        }

        /** Told of every publish the broker acknowledged, which adds to the backlog until the next sample. */
        default void acknowledged(String stream, int records) {}
    }

    private final AtomicInteger inFlight = new AtomicInteger();
    private final Backlogs backlogs;
    private final BacklogBound backlogBound;
    private final int maxInFlight;
    private final Duration publishTimeout;
    private final int retryAfterSeconds;
    private final LongSupplier nanoClock;
    /*
     * Set after a broker timeout, cleared by any acknowledgement. A flag, because an acknowledgement that moved
     * rejectUntilNanos to "now" instead would refuse a request on another thread that read the clock just before.
     */
    private volatile boolean rejecting;
    private volatile long rejectUntilNanos;

    @Inject
    public IngestAdmission(SkywatchConfig config, ConsumerLagMonitor lag) {
        this(
                config.ingest().maxInFlight(),
                Duration.ofMillis(config.ingest().publishTimeoutMs()),
                config.ingest().retryAfterSeconds(),
                new Backlogs() {
                    @Override
                    public long of(String stream) {
                        return lag.wholeBacklog(stream);
                    }

                    @Override
                    public double catchUpRate(String stream) {
                        return lag.catchUpRate(stream);
                    }

                    @Override
                    public void acknowledged(String stream, int records) {
                        lag.acknowledged(stream, records);
                    }
                },
                new BacklogBound(
                        config.ingest().maxBacklog(),
                        config.ingest().maxCatchUp(),
                        config.ingest().backlogFloor()));
    }

    IngestAdmission(int maxInFlight, Duration publishTimeout, int retryAfterSeconds) {
        this(maxInFlight, publishTimeout, retryAfterSeconds, stream -> 0, BacklogBound.NONE);
    }

    IngestAdmission(
            int maxInFlight,
            Duration publishTimeout,
            int retryAfterSeconds,
            Backlogs backlogs,
            BacklogBound backlogBound) {
        this(maxInFlight, publishTimeout, retryAfterSeconds, backlogs, backlogBound, System::nanoTime);
    }

    IngestAdmission(
            int maxInFlight,
            Duration publishTimeout,
            int retryAfterSeconds,
            Backlogs backlogs,
            BacklogBound backlogBound,
            LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.backlogs = backlogs;
        this.backlogBound = backlogBound;
        this.maxInFlight = maxInFlight;
        this.publishTimeout = publishTimeout;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /**
     * Runs {@code publish} for {@code events} events of {@code pipeline} (rockets, sensors or streams) if there is
     * room, failing with a 503 problem otherwise.
     */
    public <T> Uni<T> admit(String pipeline, int events, Supplier<Uni<? extends T>> publish) {
        long backlog = backlogs.of(pipeline);
        double catchUpRate = backlogs.catchUpRate(pipeline);
        if (backlog > backlogBound.limit(catchUpRate)) {
            return Uni.createFrom()
                    .failure(ProblemException.overloaded(
                            backlogBound.refusal(pipeline, backlog, catchUpRate), retryAfterSeconds));
        }
        if (rejecting && nanoClock.getAsLong() - rejectUntilNanos < 0) {
            return Uni.createFrom()
                    .failure(ProblemException.overloaded(
                            "Kafka is not acknowledging events at the moment; retry after the suggested delay.",
                            retryAfterSeconds));
        }
        if (inFlight.addAndGet(events) > maxInFlight) {
            inFlight.addAndGet(-events);
            return Uni.createFrom()
                    .failure(ProblemException.overloaded(
                            "Too many events are waiting for the broker; retry after the suggested delay.",
                            retryAfterSeconds));
        }
        return Uni.createFrom()
                .deferred(publish)
                .ifNoItem()
                .after(publishTimeout)
                .fail()
                .onItem()
                .invoke(() -> {
                    backlogs.acknowledged(pipeline, events);
                    stopRejecting();
                })
                .onFailure(IngestAdmission::brokerUnavailable)
                .invoke(this::rejectForRetryAfter)
                .onFailure()
                .transform(this::asOverloaded)
                .onTermination()
                .invoke(() -> inFlight.addAndGet(-events));
    }

    private void stopRejecting() {
        // Read before writing: every acknowledgement lands here, and most find nothing to clear.
        if (rejecting) {
            rejecting = false;
        }
    }

    private void rejectForRetryAfter() {
        rejectUntilNanos = nanoClock.getAsLong() + retryAfterSeconds * 1_000_000_000L;
        rejecting = true;
    }

    /** Events currently waiting for a broker acknowledgement. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Timeouts mean the broker is away; a failure specific to one record (e.g. too large) says nothing of it. */
    private static boolean brokerUnavailable(Throwable failure) {
        return failure instanceof java.util.concurrent.TimeoutException
                || failure instanceof io.smallrye.mutiny.TimeoutException
                || failure instanceof org.apache.kafka.common.errors.TimeoutException
                || failure.getCause() instanceof org.apache.kafka.common.errors.TimeoutException;
    }

    private Throwable asOverloaded(Throwable failure) {
        if (failure instanceof ProblemException) {
            return failure;
        }
        if (!brokerUnavailable(failure)) {
            // Timeouts mean the broker is away, which readiness reports; any other failure is unexpected, and the
            // emitter only sees a 503.
            Log.warnf("A publish failed and was answered 503: %s", failure.toString());
        }
        return ProblemException.overloaded(
                "The event was not acknowledged by Kafka in time; it was not accepted, retry later.",
                retryAfterSeconds);
    }
}
