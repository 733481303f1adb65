package io.skywatch.rockets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import io.skywatch.ingest.JsonSchemas;
import io.skywatch.ingest.Rfc3339;
import io.skywatch.problem.Problem.FieldError;
import io.skywatch.problem.ProblemException;
import io.skywatch.security.JsonLimits;
import io.skywatch.security.MongoSafeJson;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Reads Rockets envelopes from bytes (HTTP bodies and Kafka records alike) and writes the canonical form
 * published to Kafka. Validation is the JSON Schema in {@code schemas/rocket-message.schema.json}, so the
 * rules a client sees are the ones documented in one place.
 */
@ApplicationScoped
public class RocketMessageCodec {

    /** Classpath resource of the envelope schema. */
    public static final String SCHEMA = "schemas/rocket-message.schema.json";

    private final ObjectMapper mapper;
    private final ObjectReader strictReader;
    private final Schema schema;

    public RocketMessageCodec(ObjectMapper mapper) {
        this.mapper = mapper;
        this.strictReader = JsonSchemas.strictReader(mapper);
        this.schema = JsonSchemas.fromResource(SCHEMA);
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
            throw ProblemException.badRequest("Body is not valid JSON: " + JsonLimits.describe(e) + locationOf(e));
        } catch (IOException e) {
            throw ProblemException.badRequest("Body could not be read as JSON.");
        }
        if (tree == null || tree.isMissingNode()) {
            throw ProblemException.badRequest("Body is empty; expected one JSON object.");
        }
        List<FieldError> unsafe = MongoSafeJson.violations(tree, "$");
        if (!unsafe.isEmpty()) {
            throw ProblemException.invalid(JsonSchemas.summary(unsafe), unsafe);
        }
        List<FieldError> errors = JsonSchemas.violations(schema, tree, "$");
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(JsonSchemas.summary(errors), errors);
        }
        JsonNode metadata = tree.get("metadata");
        OffsetDateTime messageTime;
        try {
            messageTime = Rfc3339.parse(metadata.get("messageTime").asText());
        } catch (DateTimeException e) {
            FieldError error = new FieldError(
                    "$.metadata.messageTime",
                    "must be an ISO-8601 date-time with an offset, e.g. 2022-02-02T19:39:05.86337+01:00");
            throw ProblemException.invalid(JsonSchemas.summary(List.of(error)), List.of(error));
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
        metadata.put("messageTime", Rfc3339.format(message.messageTime()));
        metadata.put("messageType", message.messageType().name());
        envelope.set("message", message.message());
        try {
            return mapper.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A validated envelope must serialise", e);
        }
    }

    private static String locationOf(JsonProcessingException e) {
        return e.getLocation() == null
                ? ""
                : " (line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr() + ")";
    }
}
