package io.skywatch.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/** Field references in stream definitions: a top-level name, or a JSON pointer for nested fields. */
final class EventFields {

    private EventFields() {}

    static JsonNode get(JsonNode event, String field) {
        if (field == null) {
            return MissingNode.getInstance();
        }
        return field.startsWith("/") ? event.at(field) : event.path(field);
    }

    static boolean present(JsonNode value) {
        return value != null && !value.isMissingNode() && !value.isNull();
    }

    /** A field reference is a top-level name or a JSON pointer. */
    static boolean valid(String field) {
        return field != null && !field.isBlank() && field.length() <= 200;
    }
}
