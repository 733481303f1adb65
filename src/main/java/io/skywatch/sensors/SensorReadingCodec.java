package io.skywatch.sensors;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import io.skywatch.ingest.JsonBatch;
import io.skywatch.ingest.JsonSchemas;
import io.skywatch.ingest.Rfc3339;
import io.skywatch.problem.Problem.FieldError;
import io.skywatch.problem.ProblemException;
import io.skywatch.security.JsonLimits;
import io.skywatch.security.MongoSafeJson;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.StringWriter;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads station readings — one JSON object, a JSON array, or NDJSON — validating each item on its own, so one
 * bad reading in a batch rejects that reading only. The schema is generated from {@link SensorMetric}.
 */
@ApplicationScoped
public class SensorReadingCodec {

    /** One item of a request: a reading, or why it was rejected. */
    public record Item(int index, SensorReading reading, List<FieldError> errors) {

        boolean accepted() {
            return reading != null;
        }
    }

    private final ObjectMapper mapper;
    private final ObjectReader strictReader;
    /** The published schema without the metrics' bounds: {@link #boundViolations} checks those. */
    private final Schema schema;

    public SensorReadingCodec(ObjectMapper mapper) {
        this.mapper = mapper;
        this.strictReader = JsonSchemas.strictReader(mapper);
        this.schema = JsonSchemas.fromJson(schemaJson(false));
    }

    /**
     * Splits a body into items and validates each.
     *
     * @param ndjson true for {@code application/x-ndjson}: one reading per line
     * @param notAfter latest measurement time accepted: a station clock far ahead would close the windows of
     *     every correct reading after it
     * @param maxItems most readings one body may hold, checked before any is validated
     * @throws ProblemException 400 when the body as a whole is not JSON (or not NDJSON), or holds no reading; 413
     *     when it holds more than {@code maxItems}
     */
    public List<Item> readAll(byte[] body, boolean ndjson, Instant notAfter, int maxItems) {
        List<JsonBatch.Element> elements = JsonBatch.split(strictReader, body, ndjson, "reading");
        if (elements.size() > maxItems) {
            throw ProblemException.tooLarge("Batch holds " + elements.size() + " readings; the limit is " + maxItems
                    + " (skywatch.sensors.max-batch-items).");
        }
        return elements.stream()
                .map(element -> element.unreadable() != null
                        ? new Item(element.index(), null, List.of(element.unreadable()))
                        : validate(element.index(), element.node(), element.path(), notAfter))
                .toList();
    }

    /** Reads one reading back from its canonical form (a Kafka record). */
    public SensorReading read(byte[] canonical) {
        Item item = validate(0, parse(canonical), "$", Instant.MAX);
        if (!item.accepted()) {
            throw ProblemException.invalid(JsonSchemas.summary(item.errors()), item.errors());
        }
        return item.reading();
    }

    /**
     * The canonical form published to Kafka. Written field by field rather than through a tree: building and
     * serialising an {@code ObjectNode} per reading cost as much as reading and validating it.
     */
    public String write(SensorReading reading) {
        StringWriter out = new StringWriter(192);
        try (JsonGenerator json = mapper.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("stationId", reading.stationId());
            json.writeStringField("timestamp", Rfc3339.format(reading.timestamp()));
            if (reading.sequence() != null) {
                json.writeNumberField("sequence", reading.sequence());
            }
            for (Map.Entry<String, Double> metric : reading.metrics().entrySet()) {
                json.writeNumberField(metric.getKey(), metric.getValue());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("A validated reading must serialise", e);
        }
        return out.toString();
    }

    private JsonNode parse(byte[] body) {
        try {
            JsonNode tree = strictReader.readTree(body);
            if (tree == null || tree.isMissingNode()) {
                throw ProblemException.badRequest("Body is empty; expected a reading, an array of readings or NDJSON.");
            }
            return tree;
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("Body is not valid JSON: " + JsonLimits.describe(e)
                    + " (send one reading, a JSON array, or application/x-ndjson)");
        } catch (IOException e) {
            throw ProblemException.badRequest("Body could not be read as JSON.");
        }
    }

    private Item validate(int index, JsonNode node, String path, Instant notAfter) {
        List<FieldError> unsafe = MongoSafeJson.violations(node, path);
        if (!unsafe.isEmpty()) {
            return new Item(index, null, unsafe);
        }
        List<FieldError> errors = JsonSchemas.violations(schema, node, path);
        Map<String, Double> metrics = new LinkedHashMap<>();
        List<FieldError> outOfBounds = List.of();
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            SensorMetric metric = SensorMetric.byName(field.getKey());
            if (metric == null || !field.getValue().isNumber()) {
                continue; // the schema reports unknown fields and non-numbers
            }
            double value = field.getValue().doubleValue();
            String outside = outside(metric, value);
            if (outside == null) {
                metrics.put(field.getKey(), value);
            } else {
                if (outOfBounds.isEmpty()) {
                    outOfBounds = new ArrayList<>();
                }
                outOfBounds.add(new FieldError(path + "." + field.getKey(), outside));
            }
        }
        if (!outOfBounds.isEmpty()) {
            errors = java.util.stream.Stream.concat(errors.stream(), outOfBounds.stream())
                    .toList();
        }
        if (!errors.isEmpty()) {
            return new Item(index, null, errors);
        }
        if (metrics.isEmpty()) {
            return rejected(
                    index, path, "no metric given; expected at least one of " + Arrays.toString(SensorMetric.values()));
        }
        OffsetDateTime timestamp;
        try {
            timestamp = Rfc3339.parse(node.get("timestamp").asText());
        } catch (DateTimeException e) {
            return rejected(
                    index,
                    path + ".timestamp",
                    "must be an ISO-8601 date-time with an offset, e.g. 2026-11-25T10:00:00Z");
        }
        if (timestamp.toInstant().isAfter(notAfter)) {
            return rejected(
                    index,
                    path + ".timestamp",
                    "is in the future: later than " + notAfter + " (check the station's clock)");
        }
        Long sequence = node.hasNonNull("sequence") ? node.get("sequence").asLong() : null;
        return new Item(
                index, new SensorReading(node.get("stationId").asText(), timestamp, sequence, metrics), List.of());
    }

    /**
     * Why a metric's value is outside its {@code minimum} and {@code maximum} of the published schema, in the
     * validator's wording, or null. The validator compares a fractional number by parsing it and the bound into
     * {@code BigDecimal}s, which a profile of 50-reading batches put at most of the schema's 22 % of the gateway's
     * ingest CPU. Every bound is a whole number well inside a double's exact range, so comparing doubles gives the
     * same answers.
     */
    private static String outside(SensorMetric metric, double value) {
        if (value < metric.min()) {
            return "must have a minimum value of " + bound(metric.min());
        }
        return value > metric.max() ? "must have a maximum value of " + bound(metric.max()) : null;
    }

    /** A bound as the schema's JSON writes it (the validator quotes the schema's text). */
    private static String bound(double value) {
        return DoubleNode.valueOf(value).asText();
    }

    private static Item rejected(int index, String field, String reason) {
        return new Item(index, null, List.of(new FieldError(field, reason)));
    }

    /** The JSON Schema a reading is validated against, generated from the metric registry. */
    public String schemaJson() {
        return schemaJson(true);
    }

    private String schemaJson(boolean metricBounds) {
        ObjectNode root = mapper.createObjectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.put("type", "object");
        root.putArray("required").add("stationId").add("timestamp");
        root.put("additionalProperties", false);
        ObjectNode properties = root.putObject("properties");
        properties.putObject("stationId").put("type", "string").put("pattern", "^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$");
        properties.putObject("timestamp").put("type", "string").put("format", "date-time");
        properties
                .putObject("sequence")
                .put("type", "integer")
                .put("minimum", 1)
                .put("maximum", 9007199254740991L);
        for (SensorMetric metric : SensorMetric.values()) {
            ObjectNode property = properties.putObject(metric.name()).put("type", "number");
            if (metricBounds) {
                property.put("minimum", metric.min()).put("maximum", metric.max());
            }
            property.put("description", metric.unit());
        }
        return root.toString();
    }
}
