package io.skywatch.ingest;

import io.skywatch.config.SkywatchConfig;
import io.skywatch.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Bounds the events that are published and not yet acknowledged by the broker. When Kafka slows down the
 * bound fills up and further requests get 503 + Retry-After at once, instead of queueing without limit;
 * a publish that outlives the timeout also becomes a 503, so the emitter's retry is what recovers it.
 */
@ApplicationScoped
public class IngestAdmission {

    private final AtomicInteger inFlight = new AtomicInteger();
    private final int maxInFlight;
    private final Duration publishTimeout;
    private final int retryAfterSeconds;

    public IngestAdmission(SkywatchConfig config) {
        this.maxInFlight = config.ingest().maxInFlight();
        this.publishTimeout = Duration.ofMillis(config.ingest().publishTimeoutMs());
        this.retryAfterSeconds = config.ingest().retryAfterSeconds();
    }

    /** Runs {@code publish} for {@code events} events if there is room, failing with a 503 problem otherwise. */
    public <T> Uni<T> admit(int events, Supplier<Uni<? extends T>> publish) {
        if (inFlight.addAndGet(events) > maxInFlight) {
            inFlight.addAndGet(-events);
            return Uni.createFrom().failure(ProblemException.overloaded(
                    "Too many events are waiting for the broker; retry after the suggested delay.",
                    retryAfterSeconds));
        }
        return Uni.createFrom().deferred(publish)
                .ifNoItem().after(publishTimeout).fail()
                .onFailure().transform(this::asOverloaded)
                .onTermination().invoke(() -> inFlight.addAndGet(-events));
    }

    /** Events currently waiting for a broker acknowledgement. */
    public int inFlight() {
        return inFlight.get();
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
