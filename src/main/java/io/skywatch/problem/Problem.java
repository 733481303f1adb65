package io.skywatch.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The one error body Skywatch answers with, rendered as {@code application/problem+json} (RFC 9457).
 *
 * @param type a URI naming the kind of problem
 * @param title short summary of the kind of problem
 * @param status HTTP status code
 * @param detail what went wrong with this request, in words a client developer can act on
 * @param errors the offending fields, when the input was invalid
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    /** Media type of problem bodies. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /**
     * One invalid field.
     *
     * @param field JSON path of the field, e.g. {@code $.metadata.messageNumber}
     * @param reason why it was rejected
     */
    public record FieldError(String field, String reason) {}
}
