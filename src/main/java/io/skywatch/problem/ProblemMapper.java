package io.skywatch.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.skywatch.security.JsonLimits;
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

    /** No credentials, or credentials that are not valid (unknown or revoked key, bad or expired token). */
    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response mapUnauthorized(RuntimeException failure) {
        return Response.status(401)
                .type(Problem.MEDIA_TYPE)
                .header("WWW-Authenticate", "Bearer, ApiKey header=\"X-API-Key\"")
                .entity(new Problem(
                        ProblemTypes.forStatus(401),
                        "Unauthorized",
                        401,
                        "Send a valid API key in X-API-Key or a bearer token in Authorization.",
                        List.of()))
                .build();
    }

    /** Valid credentials without the role this endpoint needs. */
    @ServerExceptionMapper
    public Response mapForbidden(ForbiddenException failure) {
        return Response.status(403)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem(
                        ProblemTypes.forStatus(403),
                        "Forbidden",
                        403,
                        "These credentials do not have a role that may use this endpoint.",
                        List.of()))
                .build();
    }

    /**
     * A body Jackson could not bind to the endpoint's type (wrong shape, wrong type, broken or over-limit JSON).
     * Jackson's own messages name Java types, so the reason is rebuilt from the location only. Ahead of Quarkus's
     * built-in mapper, which answers in its own format.
     */
    @ServerExceptionMapper(priority = 1)
    public Response mapMismatchedInput(MismatchedInputException failure) {
        return badJson(failure);
    }

    @ServerExceptionMapper(priority = 1)
    public Response mapJson(JsonProcessingException failure) {
        return badJson(failure);
    }

    private static Response badJson(JsonProcessingException failure) {
        String detail;
        if (failure instanceof StreamConstraintsException || failure instanceof JsonParseException) {
            detail = "Body is not valid JSON: " + JsonLimits.describe(failure);
        } else if (failure instanceof JsonMappingException mapping
                && !mapping.getPath().isEmpty()) {
            StringBuilder field = new StringBuilder("$");
            for (JsonMappingException.Reference reference : mapping.getPath()) {
                field.append(
                        reference.getFieldName() != null
                                ? "." + reference.getFieldName()
                                : "[" + reference.getIndex() + "]");
            }
            detail = "Body does not have the expected shape at " + field + ".";
        } else {
            detail = "Body does not have the expected shape (see the API description).";
        }
        return Response.status(400)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem(ProblemTypes.forStatus(400), "Bad request", 400, detail, List.of()))
                .build();
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
