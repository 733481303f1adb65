package io.skywatch.security;

import io.skywatch.config.SkywatchConfig;
import io.skywatch.problem.Problem;
import io.skywatch.problem.ProblemTypes;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/**
 * Bounds every HTTP request (WebSocket upgrades aside) to {@code skywatch.limits.request-timeout}: a client that
 * trickles its body gets 408, a request the gateway has not answered in time 503, both as problem+json, and the
 * connection is closed. Runs first on the event loop and costs one timer per request.
 */
@ApplicationScoped
public class RequestTimeout {

    private final long timeoutMillis;

    public RequestTimeout(SkywatchConfig config) {
        this.timeoutMillis = config.limits().requestTimeout().toMillis();
    }

    void install(@Observes Router router) {
        router.route().order(-5).handler(context -> {
            if (context.request().path().startsWith("/ws/")) {
                context.next();
                return;
            }
            long timer = context.vertx().setTimer(timeoutMillis, id -> {
                if (context.response().ended() || context.response().headWritten()) {
                    return;
                }
                boolean receiving = !context.request().isEnded();
                int status = receiving ? 408 : 503;
                Problem problem = new Problem(
                        ProblemTypes.forStatus(status),
                        receiving ? "Request timeout" : "Request took too long",
                        status,
                        (receiving ? "The request body did not arrive" : "The gateway could not answer") + " within "
                                + timeoutMillis + " ms (skywatch.limits.request-timeout); retry.",
                        List.of());
                context.response()
                        .setStatusCode(status)
                        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end(Json.encode(problem))
                        .onComplete(done -> context.request().connection().close());
            });
            context.addEndHandler(done -> context.vertx().cancelTimer(timer));
            context.next();
        });
    }
}
