package io.skywatch.problem;

import io.skywatch.problem.Problem.FieldError;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Query parameters as the query endpoints read them: each mistake collected, so one 400 names them all. */
public final class QueryParams {

    private QueryParams() {}

    /** An ISO-8601 date-time with an offset; {@code fallback} when absent, and when wrong (with an error added). */
    public static Instant instant(String value, String name, Instant fallback, List<FieldError> errors) {
        if (value == null) {
            return fallback;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(name, "must be an ISO-8601 date-time with an offset, e.g. 2026-11-25T10:00:00Z"));
            return fallback;
        }
    }
}
