package io.skywatch.ingest;

import io.skywatch.problem.ProblemException;
import java.util.Locale;

/**
 * Content-Type rules of the JSON ingest endpoints. Emitters in the field often send no Content-Type at all
 * (the Rockets emitter does), so an absent header means JSON; an explicit non-JSON type is a client error.
 */
public final class JsonContentType {

    private JsonContentType() {}

    /** @throws ProblemException 415 unless the header is absent or names JSON */
    public static void require(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (mediaType.equals("application/json") || mediaType.endsWith("+json")) {
            return;
        }
        throw ProblemException.unsupportedMediaType(
                "Content-Type '" + contentType + "' is not supported; send application/json (or no Content-Type).");
    }
}
