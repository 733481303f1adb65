package io.skywatch.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skywatch.ingest.JsonSchemas;
import io.skywatch.problem.Problem.FieldError;
import io.skywatch.problem.ProblemException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A stream definition as clients send it to {@code POST /streams} and {@code PUT /streams/{name}}, and its
 * checks: every mistake is reported at once, with the field it is in.
 */
public record StreamSpec(
        String name,
        String description,
        JsonNode schema,
        String keyField,
        String sequenceField,
        String eventTimeField,
        String eventTimeUnit,
        String idField,
        EnrichSpec enrich,
        List<FilterSpec> filters,
        List<AggregationSpec> aggregations,
        String allowedLateness,
        Boolean publishFiltered) {

    /** Stream names that are built in or used by the gateway's own topics. */
    static final Set<String> RESERVED = Set.of("rockets", "sensors", "alerts", "live", "streams");

    static final String NAME_PATTERN = "[a-z][a-z0-9-]{0,62}";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Enrichments; both default to true. */
    public record EnrichSpec(Boolean processingTime, Boolean eventTimeUtc) {}

    /**
     * A filter: {@code op} is one of eq, ne, in, notIn, lt, lte, gt, gte, versionBelow, missing; {@code action} is
     * drop or reject.
     */
    public record FilterSpec(String name, String field, String op, Object value, String action, String reason) {}

    /** An aggregation: {@code type} count (grouped by {@code field}) or stats (of numeric {@code field}). */
    public record AggregationSpec(String name, String type, String field, String window) {}

    /** Checks the spec and turns it into a definition named {@code name}. */
    StreamDefinition toDefinition(String name) {
        List<FieldError> errors = new ArrayList<>();
        if (name == null || !name.matches(NAME_PATTERN)) {
            errors.add(new FieldError("$.name", "required; a lower-case letter, then up to 62 of a-z 0-9 -"));
        } else if (RESERVED.contains(name)) {
            errors.add(new FieldError("$.name", "'" + name + "' is reserved"));
        }
        if (schema == null || !schema.isObject()) {
            errors.add(new FieldError("$.schema", "required: a JSON Schema (draft 2020-12) object"));
        }
        String schemaJson = schema == null ? null : schema.toString();
        if (schema != null && schema.isObject()) {
            List<FieldError> schemaErrors = JsonSchemas.schemaViolations(schema, "$.schema");
            errors.addAll(schemaErrors);
            if (schemaErrors.isEmpty()) {
                try {
                    JsonSchemas.fromJson(schemaJson);
                } catch (RuntimeException invalid) {
                    errors.add(new FieldError("$.schema", "is not a usable JSON Schema: " + invalid.getMessage()));
                }
            }
        }
        if (!EventFields.valid(keyField)) {
            errors.add(new FieldError("$.keyField", "required: the field (name or JSON pointer) that keys each event"));
        }
        checkOptionalField(sequenceField, "$.sequenceField", errors);
        checkOptionalField(eventTimeField, "$.eventTimeField", errors);
        checkOptionalField(idField, "$.idField", errors);
        if (eventTimeUnit != null && !eventTimeUnit.equals("ms") && !eventTimeUnit.equals("s")) {
            errors.add(new FieldError("$.eventTimeUnit", "ms or s: the unit of an epoch-number event time"));
        }
        if (description != null && description.length() > 1000) {
            errors.add(new FieldError("$.description", "at most 1000 characters"));
        }
        StreamDefinition definition = new StreamDefinition();
        definition.name = name;
        definition.description = description;
        definition.schemaJson = schemaJson;
        definition.keyField = keyField;
        definition.sequenceField = sequenceField;
        definition.eventTimeField = eventTimeField;
        definition.idField = idField;
        definition.eventTimeUnit = eventTimeUnit == null ? "ms" : eventTimeUnit;
        if (enrich != null) {
            definition.enrich.processingTime = !Boolean.FALSE.equals(enrich.processingTime());
            definition.enrich.eventTimeUtc = !Boolean.FALSE.equals(enrich.eventTimeUtc());
        }
        definition.publishFiltered = Boolean.TRUE.equals(publishFiltered);
        definition.allowedLateness = allowedLateness;
        if (allowedLateness != null && windowLength(allowedLateness) == null) {
            errors.add(new FieldError("$.allowedLateness", "a length like 5s, 1m or 1h, up to 24 h"));
        }
        List<FilterSpec> filterSpecs = filters == null ? List.of() : filters;
        for (int i = 0; i < filterSpecs.size(); i++) {
            definition.filters.add(filter(filterSpecs.get(i), "$.filters[" + i + "]", errors));
        }
        List<AggregationSpec> aggregationSpecs = aggregations == null ? List.of() : aggregations;
        for (int i = 0; i < aggregationSpecs.size(); i++) {
            definition.aggregations.add(aggregation(aggregationSpecs.get(i), "$.aggregations[" + i + "]", errors));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(JsonSchemas.summary(errors), errors);
        }
        return definition;
    }

    private static void checkOptionalField(String field, String path, List<FieldError> errors) {
        if (field != null && !EventFields.valid(field)) {
            errors.add(new FieldError(path, "a field name or JSON pointer of at most 200 characters"));
        }
    }

    private static StreamDefinition.Filter filter(FilterSpec spec, String path, List<FieldError> errors) {
        StreamDefinition.Filter filter = new StreamDefinition.Filter();
        if (spec == null) {
            errors.add(new FieldError(path, "must be an object"));
            return filter;
        }
        filter.name = spec.name() == null ? "filter-" + path.replaceAll("\\D", "") : spec.name();
        filter.field = spec.field();
        filter.valueJson =
                spec.value() == null ? null : JSON.valueToTree(spec.value()).toString();
        filter.reason = spec.reason();
        if (!EventFields.valid(spec.field())) {
            errors.add(new FieldError(path + ".field", "required: a field name or JSON pointer"));
        }
        filter.op = operator(spec.op());
        if (filter.op == null) {
            errors.add(
                    new FieldError(path + ".op", "one of eq, ne, in, notIn, lt, lte, gt, gte, versionBelow, missing"));
        } else if (filter.op != FilterOperator.MISSING && spec.value() == null) {
            errors.add(new FieldError(path + ".value", "required for " + spec.op()));
        } else if ((filter.op == FilterOperator.IN || filter.op == FilterOperator.NOT_IN)
                && !(spec.value() instanceof List<?>)) {
            errors.add(new FieldError(path + ".value", "must be an array for " + spec.op()));
        }
        String action = spec.action() == null ? "" : spec.action().toUpperCase(Locale.ROOT);
        try {
            filter.action = StreamDefinition.FilterAction.valueOf(action);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(path + ".action", "drop or reject"));
        }
        if (filter.reason == null) {
            filter.reason = "matched filter '" + filter.name + "'";
        }
        return filter;
    }

    private static FilterOperator operator(String op) {
        if (op == null) {
            return null;
        }
        String normalised = op.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
        try {
            return FilterOperator.valueOf(normalised);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static StreamDefinition.Aggregation aggregation(
            AggregationSpec spec, String path, List<FieldError> errors) {
        StreamDefinition.Aggregation aggregation = new StreamDefinition.Aggregation();
        if (spec == null) {
            errors.add(new FieldError(path, "must be an object"));
            return aggregation;
        }
        aggregation.name = spec.name();
        if (spec.name() == null || !spec.name().matches(NAME_PATTERN)) {
            errors.add(new FieldError(path + ".name", "required; a lower-case letter, then up to 62 of a-z 0-9 -"));
        }
        String type = spec.type() == null ? "" : spec.type().toUpperCase(Locale.ROOT);
        try {
            aggregation.type = StreamDefinition.AggregationType.valueOf(type);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(path + ".type", "count or stats"));
        }
        aggregation.field = spec.field();
        if (!EventFields.valid(spec.field())) {
            errors.add(new FieldError(path + ".field", "required: the field counted by (count) or summarised (stats)"));
        }
        aggregation.window = spec.window() == null ? "1m" : spec.window();
        Duration window = windowLength(aggregation.window);
        if (window == null) {
            errors.add(new FieldError(path + ".window", "a length like 60s, 5m or 1h, from 1 s to 24 h"));
        }
        return aggregation;
    }

    /** {@code 60s}, {@code 5m}, {@code 1h} → its length; null when it is not one or out of range. */
    static Duration windowLength(String window) {
        if (window == null || !window.matches("\\d{1,5}[smh]")) {
            return null;
        }
        long amount = Long.parseLong(window.substring(0, window.length() - 1));
        Duration length = switch (window.charAt(window.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
        return length.isZero() || length.compareTo(Duration.ofDays(1)) > 0 ? null : length;
    }
}
