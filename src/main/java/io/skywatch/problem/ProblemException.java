package io.skywatch.problem;

import java.util.List;

/** Thrown anywhere a request must end with a problem response; rendered by {@link ProblemMapper}. */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final List<Problem.FieldError> errors;
    private final Integer retryAfterSeconds;

    private ProblemException(
            int status, String title, String detail, List<Problem.FieldError> errors, Integer retryAfterSeconds) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, "Bad request", detail, List.of(), null);
    }

    public static ProblemException invalid(String detail, List<Problem.FieldError> errors) {
        return new ProblemException(422, "Invalid event", detail, errors, null);
    }

    public static ProblemException invalidQuery(List<Problem.FieldError> errors) {
        Problem.FieldError first = errors.get(0);
        return new ProblemException(
                400, "Invalid query parameter", first.field() + ": " + first.reason(), errors, null);
    }

    public static ProblemException unauthorized(String detail) {
        return new ProblemException(401, "Unauthorized", detail, List.of(), null);
    }

    public static ProblemException forbidden(String detail, List<Problem.FieldError> errors) {
        return new ProblemException(403, "Forbidden", detail, errors, null);
    }

    public static ProblemException quotaExceeded(String detail, int retryAfterSeconds) {
        return new ProblemException(429, "Too many requests", detail, List.of(), retryAfterSeconds);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not found", detail, List.of(), null);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "Conflict", detail, List.of(), null);
    }

    public static ProblemException tooLarge(String detail) {
        return new ProblemException(413, "Payload too large", detail, List.of(), null);
    }

    public static ProblemException unsupportedMediaType(String detail) {
        return new ProblemException(415, "Unsupported media type", detail, List.of(), null);
    }

    public static ProblemException overloaded(String detail, int retryAfterSeconds) {
        return new ProblemException(503, "Overloaded, retry later", detail, List.of(), retryAfterSeconds);
    }

    public int status() {
        return status;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public Problem toProblem() {
        return new Problem(ProblemTypes.forStatus(status), title, status, getMessage(), errors);
    }
}
