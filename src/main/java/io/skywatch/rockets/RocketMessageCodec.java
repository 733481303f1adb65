package io.skywatch.rockets;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import io.skywatch.problem.Problem.FieldError;
import io.skywatch.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Reads Rockets envelopes from bytes (HTTP bodies and Kafka records alike) and writes the canonical form
 * published to Kafka. Validation is the JSON Schema in {@code schemas/rocket-message.schema.json}, so the
 * rules a client sees are the ones documented in one place.
 */
@ApplicationScoped
public class RocketMessageCodec {

    private static final String SCHEMA = "schemas/rocket-message.schema.json";

    private final ObjectMapper mapper;
    private final ObjectReader strictReader;
    private final Schema schema;

    public RocketMessageCodec(ObjectMapper mapper) {
        this.mapper = mapper;
        // Duplicate keys and trailing garbage are ambiguous input: reject them rather than guess.
        this.strictReader = mapper.reader()
                .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .without(JsonParser.Feature.ALLOW_COMMENTS);
        this.schema = loadSchema();
    }

    private static Schema loadSchema() {
        SchemaRegistryConfig config = SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemaRegistryConfig(config));
        try (InputStream in = RocketMessageCodec.class.getClassLoader().getResourceAsStream(SCHEMA)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + SCHEMA);
            }
            return registry.getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses and validates one envelope.
     *
     * @throws ProblemException 400 when the bytes are not one JSON document, 422 when it breaks the schema
     */
    public RocketMessage read(byte[] body) {
        JsonNode tree;
        try {
            tree = strictReader.readTree(body);
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("Body is not valid JSON: " + e.getOriginalMessage()
                    + locationOf(e));
        } catch (IOException e) {
            throw ProblemException.badRequest("Body could not be read as JSON.");
        }
        if (tree == null || tree.isMissingNode()) {
            throw ProblemException.badRequest("Body is empty; expected one JSON object.");
        }
        List<Error> violations = schema.validate(tree);
        if (!violations.isEmpty()) {
            List<FieldError> errors = violations.stream().map(RocketMessageCodec::toFieldError).distinct().toList();
            throw ProblemException.invalid(summary(errors), errors);
        }
        JsonNode metadata = tree.get("metadata");
        OffsetDateTime messageTime;
        try {
            messageTime = OffsetDateTime.parse(metadata.get("messageTime").asText());
        } catch (DateTimeParseException e) {
            FieldError error = new FieldError("$.metadata.messageTime",
                    "must be an ISO-8601 date-time with an offset, e.g. 2022-02-02T19:39:05.86337+01:00");
            throw ProblemException.invalid(summary(List.of(error)), List.of(error));
        }
        return new RocketMessage(
                metadata.get("channel").asText(),
                metadata.get("messageNumber").asLong(),
                messageTime,
                RocketMessageType.valueOf(metadata.get("messageType").asText()),
                (ObjectNode) tree.get("message"));
    }

    /**
     * The canonical envelope published to Kafka: compact, unknown fields dropped, the time in full ISO-8601
     * (OffsetDateTime.toString() would drop zero seconds, which the schema's date-time format rejects).
     */
    public String write(RocketMessage message) {
        ObjectNode envelope = mapper.createObjectNode();
        ObjectNode metadata = envelope.putObject("metadata");
        metadata.put("channel", message.channel());
        metadata.put("messageNumber", message.messageNumber());
        metadata.put("messageTime", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(message.messageTime()));
        metadata.put("messageType", message.messageType().name());
        envelope.set("message", message.message());
        try {
            return mapper.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A validated envelope must serialise", e);
        }
    }

    private static FieldError toFieldError(Error violation) {
        NodePath location = violation.getInstanceLocation();
        StringBuilder field = new StringBuilder("$");
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            field.append(element instanceof Integer index ? "[" + index + "]" : "." + element);
        }
        if ("required".equals(violation.getKeyword()) && violation.getProperty() != null) {
            field.append('.').append(violation.getProperty());
        }
        return new FieldError(field.toString(), violation.getMessage());
    }

    private static String summary(List<FieldError> errors) {
        FieldError first = errors.get(0);
        String more = errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "";
        return first.field() + ": " + first.reason() + more;
    }

    private static String locationOf(JsonProcessingException e) {
        return e.getLocation() == null
                ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}
