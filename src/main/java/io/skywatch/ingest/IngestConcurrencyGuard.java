package io.skywatch.ingest;

import io.skywatch.config.SkywatchConfig;
import io.skywatch.problem.Problem;
import io.skywatch.problem.ProblemTypes;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Sheds ingest requests beyond {@code skywatch.ingest.max-concurrent-requests} in progress on this replica with an
 * immediate 503 + Retry-After, before their body is read, parsed or authenticated. The other bounds (events
 * unacknowledged by Kafka, the unstored backlog) only see requests once they are parsed; when the CPU itself is
 * the limit, an open-model load twice the sustainable rate queued requests in the gateway without bound (tens of
 * thousands of connections, answers seconds late, the load generator out of file descriptors). Refusing the
 * excess at once keeps the requests in progress, and so their latency, bounded; emitters retry after the delay.
 */
@ApplicationScoped
public class IngestConcurrencyGuard {

    private static final Pattern INGEST_PATHS = Pattern.compile("/messages|/sensors/readings|/streams/[^/]+/events");

    private final AtomicInteger inProgress = new AtomicInteger();
    private final int maxConcurrent;
    private final int retryAfterSeconds;

    @Inject
    public IngestConcurrencyGuard(SkywatchConfig config) {
        this(config.ingest().maxConcurrentRequests(), config.ingest().retryAfterSeconds());
    }

    public IngestConcurrencyGuard(int maxConcurrent, int retryAfterSeconds) {
        this.maxConcurrent = maxConcurrent;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Before the body-size guard (order -3), so a shed request costs no body handling at all. */
    public void install(@Observes Router router) {
        router.route().order(-4).handler(this::admit);
    }

    private void admit(RoutingContext context) {
        if (maxConcurrent <= 0
                || context.request().method() != HttpMethod.POST
                || !INGEST_PATHS.matcher(context.normalizedPath()).matches()) {
            context.next();
            return;
        }
        if (inProgress.incrementAndGet() > maxConcurrent) {
            inProgress.decrementAndGet();
            refuse(context);
            return;
        }
        // Called once the response is sent or the connection is gone, whichever comes first.
        context.addEndHandler(done -> inProgress.decrementAndGet());
        context.next();
    }

    /** Ingest requests being handled now. */
    public int inProgress() {
        return inProgress.get();
    }

    private void refuse(RoutingContext context) {
        Problem problem = new Problem(
                ProblemTypes.forStatus(503),
                "Overloaded, retry later",
                503,
                "The gateway is handling " + maxConcurrent
                        + " ingest requests already; retry after the suggested delay.",
                List.of());
        context.response()
                .setStatusCode(503)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.RETRY_AFTER, Integer.toString(retryAfterSeconds))
                .end(Json.encode(problem));
    }
}
