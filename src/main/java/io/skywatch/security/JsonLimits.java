package io.skywatch.security;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import io.skywatch.config.SkywatchConfig;
import jakarta.inject.Singleton;

/**
 * Applies {@code skywatch.limits.json-*} to the application's one ObjectMapper, so every JSON body (ingest
 * endpoints, definitions, rules, keys) is refused while it is parsed when it nests too deep or holds too long a
 * string, number or key, before anything is built from it.
 */
@Singleton
public class JsonLimits implements ObjectMapperCustomizer {

    private final SkywatchConfig.Limits limits;

    public JsonLimits(SkywatchConfig config) {
        this.limits = config.limits();
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.jsonMaxDepth())
                        .maxStringLength(limits.jsonMaxStringLength())
                        .maxNumberLength(limits.jsonMaxNumberLength())
                        .maxNameLength(limits.jsonMaxNameLength())
                        .build());
    }

    /** What is wrong with a body Jackson could not read, in words fit for a response. */
    public static String describe(com.fasterxml.jackson.core.JsonProcessingException e) {
        if (e instanceof StreamConstraintsException limit) {
            return reason(limit);
        }
        String message = e.getOriginalMessage();
        return message == null ? "unreadable JSON" : message;
    }

    /**
     * A client-facing reason for a broken limit. Jackson's own message names its classes and methods, which a
     * response must not show.
     */
    public static String reason(StreamConstraintsException e) {
        String message = String.valueOf(e.getOriginalMessage()).toLowerCase(java.util.Locale.ROOT);
        if (message.contains("nesting depth")) {
            return "JSON nests too deep (skywatch.limits.json-max-depth)";
        }
        if (message.contains("number value length")) {
            return "a JSON number is too long (skywatch.limits.json-max-number-length)";
        }
        if (message.contains("name length")) {
            return "a JSON key is too long (skywatch.limits.json-max-name-length)";
        }
        if (message.contains("string value length")) {
            return "a JSON string is too long (skywatch.limits.json-max-string-length)";
        }
        return "the JSON breaks a size limit (skywatch.limits.json-*)";
    }
}
