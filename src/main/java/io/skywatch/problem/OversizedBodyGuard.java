package io.skywatch.problem;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers a declared body over {@code quarkus.http.limits.max-body-size} with problem+json. Quarkus' own
 * check (route order -2) would answer an empty 413; this route runs just before it, on the event loop,
 * and never reads the body.
 */
@ApplicationScoped
public class OversizedBodyGuard {

    private final long maxBodyBytes;

    public OversizedBodyGuard(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.maxBodyBytes = maxBodySize.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(-3).handler(context -> {
            String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (declared != null && exceeds(declared)) {
                Problem problem = new Problem(
                        ProblemTypes.forStatus(413),
                        "Payload too large",
                        413,
                        "Body of " + declared + " bytes is over the gateway's limit of " + maxBodyBytes + " bytes.",
                        List.of());
                context.response()
                        .setStatusCode(413)
                        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end(Json.encode(problem));
                return;
            }
            context.next();
        });
    }

    private boolean exceeds(String declaredLength) {
        try {
            return Long.parseLong(declaredLength.trim()) > maxBodyBytes;
        } catch (NumberFormatException e) {
            return false; // malformed lengths are Vert.x's to reject
        }
    }
}
