package io.skywatch.streams;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Event times as emitters send them: ISO-8601 with an offset, or epoch milliseconds or seconds. */
final class EventTimes {

    private EventTimes() {}

    /**
     * The instant, or null when the value is neither form.
     *
     * @param epochUnit {@code s} when epoch numbers count seconds, anything else for milliseconds
     */
    static Instant parse(JsonNode value, String epochUnit) {
        if (value == null) {
            return null;
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return "s".equals(epochUnit) ? Instant.ofEpochSecond(value.asLong()) : Instant.ofEpochMilli(value.asLong());
        }
        if (value.isTextual()) {
            try {
                return OffsetDateTime.parse(value.asText()).toInstant();
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }
}
