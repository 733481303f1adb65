package io.skywatch.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.IntPredicate;

/** Evaluates a stream's filters on an event: the first filter that matches decides. */
final class StreamFilters {

    private StreamFilters() {}

    /** The first filter the event matches, or null when it passes them all. */
    static StreamDefinition.Filter firstMatch(List<StreamDefinition.Filter> filters, JsonNode event) {
        for (StreamDefinition.Filter filter : filters) {
            if (matches(filter, EventFields.get(event, filter.field))) {
                return filter;
            }
        }
        return null;
    }

    private static final ObjectMapper VALUES = new ObjectMapper();

    /** A filter's compared value as a Java value: String, Number, Boolean, List or null. */
    static Object value(StreamDefinition.Filter filter) {
        if (filter.valueJson == null) {
            return null;
        }
        try {
            return VALUES.readValue(filter.valueJson, Object.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean matches(StreamDefinition.Filter filter, JsonNode value) {
        return matches(filter, value(filter), value);
    }

    private static boolean matches(StreamDefinition.Filter filter, Object expected, JsonNode value) {
        if (filter.op == FilterOperator.MISSING) {
            return !EventFields.present(value);
        }
        if (!EventFields.present(value)) {
            return false;
        }
        return switch (filter.op) {
            case EQ -> same(value, expected);
            case NE -> !same(value, expected);
            case IN ->
                expected instanceof Collection<?> options && options.stream().anyMatch(o -> same(value, o));
            case NOT_IN ->
                expected instanceof Collection<?> options && options.stream().noneMatch(o -> same(value, o));
            case LT -> ordered(value, expected, order -> order < 0);
            case LTE -> ordered(value, expected, order -> order <= 0);
            case GT -> ordered(value, expected, order -> order > 0);
            case GTE -> ordered(value, expected, order -> order >= 0);
            case VERSION_BELOW -> value.isTextual() && compareVersions(value.asText(), String.valueOf(expected)) < 0;
            case MISSING -> false;
        };
    }

    private static boolean same(JsonNode value, Object expected) {
        if (expected instanceof Number number && value.isNumber()) {
            return value.decimalValue().compareTo(new BigDecimal(number.toString())) == 0;
        }
        if (expected instanceof Boolean bool && value.isBoolean()) {
            return value.booleanValue() == bool;
        }
        return value.isValueNode() && Objects.equals(value.asText(), String.valueOf(expected));
    }

    /** Numbers compare as numbers, anything else as text; a number field against text (or back) never matches. */
    private static boolean ordered(JsonNode value, Object expected, IntPredicate order) {
        if (expected instanceof Number number) {
            return value.isNumber() && order.test(value.decimalValue().compareTo(new BigDecimal(number.toString())));
        }
        return !value.isNumber() && order.test(value.asText().compareTo(String.valueOf(expected)));
    }

    /** Compares dotted versions numerically part by part ("2.10" > "2.9"); missing parts are 0. */
    static int compareVersions(String a, String b) {
        String[] left = a.trim().split("\\.");
        String[] right = b.trim().split("\\.");
        for (int i = 0; i < Math.max(left.length, right.length); i++) {
            long l = i < left.length ? parsePart(left[i]) : 0;
            long r = i < right.length ? parsePart(right[i]) : 0;
            if (l != r) {
                return Long.compare(l, r);
            }
        }
        return 0;
    }

    private static long parsePart(String part) {
        String digits = part.replaceAll("[^0-9].*$", "");
        return digits.isEmpty() ? 0 : Long.parseLong(digits.length() > 18 ? digits.substring(0, 18) : digits);
    }
}
