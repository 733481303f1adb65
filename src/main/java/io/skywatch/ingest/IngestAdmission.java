package io.skywatch.ingest;

import io.skywatch.config.SkywatchConfig;
import io.skywatch.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Bounds the events that are published and not yet acknowledged by the broker. When Kafka slows down the
 * bound fills up and further requests get 503 + Retry-After at once, instead of queueing without limit;
 * a publish that outlives the timeout also becomes a 503, so the emitter's retry is what recovers it.
 *
 * <p>After a publish times out, requests are turned away at once for the Retry-After period rather than each
 * waiting out the full timeout against a broker that is probably down; the first request after that period
 * probes again, and any acknowledgement closes the window.
 */
@ApplicationScoped
public class IngestAdmission {

    private final AtomicInteger inFlight = new AtomicInteger();
    private final int maxInFlight;
    private final Duration publishTimeout;
    private final int retryAfterSeconds;
    private volatile long rejectUntilNanos;

    @Inject
    public IngestAdmission(SkywatchConfig config) {
        this(
                config.ingest().maxInFlight(),
                Duration.ofMillis(config.ingest().publishTimeoutMs()),
                config.ingest().retryAfterSeconds());
    }

    IngestAdmission(int maxInFlight, Duration publishTimeout, int retryAfterSeconds) {
        this.maxInFlight = maxInFlight;
        this.publishTimeout = publishTimeout;
        this.retryAfterSeconds = retryAfterSeconds;
        this.rejectUntilNanos = System.nanoTime();
    }

    /** Runs {@code publish} for {@code events} events if there is room, failing with a 503 problem otherwise. */
    public <T> Uni<T> admit(int events, Supplier<Uni<? extends T>> publish) {
        if (System.nanoTime() - rejectUntilNanos < 0) {
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
                .invoke(() -> rejectUntilNanos = System.nanoTime())
                .onFailure(IngestAdmission::brokerUnavailable)
                .invoke(() -> rejectUntilNanos = System.nanoTime() + retryAfterSeconds * 1_000_000_000L)
                .onFailure()
                .transform(this::asOverloaded)
                .onTermination()
                .invoke(() -> inFlight.addAndGet(-events));
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
        return ProblemException.overloaded(
                "The event was not acknowledged by Kafka in time; it was not accepted, retry later.",
                retryAfterSeconds);
    }
}
