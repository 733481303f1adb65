package io.skywatch.problem;

import io.quarkus.logging.Log;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Renders every failure of the REST layer as problem+json, without class names or stack traces. */
public class ProblemMapper {

    @ServerExceptionMapper
    public Response mapProblem(ProblemException problem) {
        Response.ResponseBuilder response =
                Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem.toProblem());
        if (problem.retryAfterSeconds() != null) {
            response.header("Retry-After", problem.retryAfterSeconds());
        }
        return response.build();
    }

    /** Framework errors (unknown route, wrong method, unreadable parameter) keep their status, get our body. */
    @ServerExceptionMapper
    public Response mapWebApplication(WebApplicationException failure) {
        int status = failure.getResponse().getStatus();
        String title = failure.getResponse().getStatusInfo().getReasonPhrase();
        String detail = status == 404 ? "No resource at this path." : title;
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem(ProblemTypes.forStatus(status), title, status, detail, List.of()))
                .build();
    }

    @ServerExceptionMapper
    public Response mapUnexpected(Exception failure) {
        Log.errorf(failure, "Unhandled failure while serving a request");
        return Response.status(500)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem(
                        ProblemTypes.forStatus(500),
                        "Internal error",
                        500,
                        "The gateway failed to handle this request; it has been logged.",
                        List.of()))
                .build();
    }
}
