package io.skywatch.observability;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;

/**
 * Gives every HTTP request an id: the caller's {@code X-Request-Id} when it is a sane token (a load balancer or
 * an emitter may set one to follow a request through), otherwise a new one. It is echoed in the response and put in
 * the logging MDC as {@code requestId}, which Quarkus keeps per request on its Vert.x context, so every log line
 * written while serving the request carries it.
 */
@ApplicationScoped
public class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            String given = context.request().getHeader(HEADER);
            String id = given != null && SANE.matcher(given).matches()
                    ? given
                    : UUID.randomUUID().toString();
            context.response().putHeader(HEADER, id);
            MDC.put(MDC_KEY, id);
            context.next();
        });
    }
}
