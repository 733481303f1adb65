package io.skywatch.problem;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers a body over {@code quarkus.http.limits.max-body-size} with problem+json. Quarkus' own check (route order
 * -2, and RESTEasy Reactive's while it reads) would answer an empty 413; this route runs just before it, on the
 * event loop. A declared length is judged without reading the body; a chunked body (no length) is collected here up
 * to the limit and handed on whole (RESTEasy Reactive reads a body already collected), or refused as soon as it
 * goes over.
 */
@ApplicationScoped
public class OversizedBodyGuard {

    /** How long a refused client may go on sending before its connection is closed. */
    private static final long CUT_OFF_MILLIS = 10_000;

    private final long maxBodyBytes;

    public OversizedBodyGuard(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.maxBodyBytes = maxBodySize.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(-3).handler(context -> {
            String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (declared != null && exceeds(declared)) {
                refuse(
                        context,
                        "Body of " + declared + " bytes is over the gateway's limit of " + maxBodyBytes + " bytes.");
                return;
            }
            String encoding = context.request().getHeader(HttpHeaders.TRANSFER_ENCODING);
            if (declared == null
                    && encoding != null
                    && encoding.toLowerCase(java.util.Locale.ROOT).contains("chunked")) {
                collect(context);
                return;
            }
            context.next();
        });
    }

    @SuppressWarnings("deprecation") // RoutingContext.setBody: what RESTEasy Reactive reads a collected body from
    private void collect(RoutingContext context) {
        Buffer body = Buffer.buffer();
        boolean[] refused = {false};
        context.request().handler(chunk -> {
            if (refused[0]) {
                return;
            }
            body.appendBuffer(chunk);
            if (body.length() > maxBodyBytes) {
                refused[0] = true;
                refuse(context, "Chunked body is over the gateway's limit of " + maxBodyBytes + " bytes.");
            }
        });
        context.request().endHandler(done -> {
            if (!refused[0]) {
                context.setBody(body);
                context.next();
            }
        });
        context.request().resume();
    }

    private static void refuse(RoutingContext context, String detail) {
        Problem problem = new Problem(ProblemTypes.forStatus(413), "Payload too large", 413, detail, List.of());
        context.response()
                .setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(Json.encode(problem));
        // The client may finish sending and read the answer (Connection: close ends the connection then); one
        // that keeps sending is cut off.
        context.vertx().setTimer(CUT_OFF_MILLIS, id -> {
            if (!context.request().isEnded()) {
                context.request().connection().close();
            }
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
