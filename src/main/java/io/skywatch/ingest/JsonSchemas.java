package io.skywatch.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import io.skywatch.problem.Problem.FieldError;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * JSON Schema validation as every ingest endpoint does it: draft 2020-12 with formats asserted, and each
 * violation turned into a field error whose field is a JSON path a client can look up in its own payload.
 */
public final class JsonSchemas {

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(
                    SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

    private static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";

    private JsonSchemas() {}

    /** Loads a schema from the classpath. */
    public static Schema fromResource(String resource) {
        try (InputStream in = JsonSchemas.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + resource);
            }
            return REGISTRY.getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Compiles a schema built in code. */
    public static Schema fromJson(String schemaJson) {
        return REGISTRY.getSchema(schemaJson);
    }

    /**
     * What is wrong with a schema a client supplied, checked against the draft 2020-12 meta-schema (bundled with
     * the validator, never fetched); field paths start with {@code root}.
     */
    public static List<FieldError> schemaViolations(JsonNode schema, String root) {
        Schema meta = REGISTRY.getSchema(SchemaLocation.of(META_SCHEMA));
        return violations(meta, schema, root);
    }

    /**
     * A reader that rejects what is ambiguous rather than guessing: duplicate keys, trailing data, comments.
     */
    public static ObjectReader strictReader(ObjectMapper mapper) {
        return mapper.reader()
                .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .without(JsonParser.Feature.ALLOW_COMMENTS);
    }

    /** Validates {@code document}; field paths start with {@code root} (e.g. {@code $} or {@code $[3]}). */
    public static List<FieldError> violations(Schema schema, JsonNode document, String root) {
        return schema.validate(document).stream()
                .map(error -> toFieldError(error, root))
                .distinct()
                .toList();
    }

    private static FieldError toFieldError(Error violation, String root) {
        NodePath location = violation.getInstanceLocation();
        StringBuilder field = new StringBuilder(root);
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            field.append(element instanceof Integer index ? "[" + index + "]" : "." + element);
        }
        String keyword = violation.getKeyword();
        if (("required".equals(keyword) || "additionalProperties".equals(keyword)) && violation.getProperty() != null) {
            field.append('.').append(violation.getProperty());
        }
        return new FieldError(field.toString(), violation.getMessage());
    }

    /** One line naming the first error, and how many more there are. */
    public static String summary(List<FieldError> errors) {
        FieldError first = errors.get(0);
        String more = errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "";
        return first.field() + ": " + first.reason() + more;
    }
}
