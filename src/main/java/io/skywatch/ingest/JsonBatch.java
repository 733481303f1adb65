package io.skywatch.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.skywatch.problem.Problem.FieldError;
import io.skywatch.problem.ProblemException;
import io.skywatch.security.JsonLimits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a batch body into its items the way every batch endpoint accepts them: one JSON object, a JSON array,
 * or NDJSON (one JSON document per line). A broken NDJSON line is an item of its own that is rejected; a body
 * that is not JSON at all is a 400 for the whole request.
 */
public final class JsonBatch {

    /**
     * One item of a batch.
     *
     * @param path where it is in the request: {@code $} for a single object, {@code $[i]} otherwise
     * @param node the parsed item, or null when its line is not JSON
     * @param unreadable why the line could not be read; null when it could
     */
    public record Element(int index, String path, JsonNode node, FieldError unreadable) {}

    private JsonBatch() {}

    /**
     * @param what what the items are, for messages ("reading", "event")
     * @throws ProblemException 400 when the body is not JSON, or holds no item
     */
    public static List<Element> split(ObjectReader strictReader, byte[] body, boolean ndjson, String what) {
        List<Element> elements = new ArrayList<>();
        if (ndjson) {
            int index = 0;
            for (String line : utf8(body).split("\r?\n")) {
                if (!line.isBlank()) {
                    elements.add(line(strictReader, index++, line));
                }
            }
        } else {
            JsonNode tree = parse(strictReader, body, what);
            if (tree.isArray()) {
                for (int i = 0; i < tree.size(); i++) {
                    elements.add(new Element(i, "$[" + i + "]", tree.get(i), null));
                }
            } else {
                elements.add(new Element(0, "$", tree, null));
            }
        }
        if (elements.isEmpty()) {
            throw ProblemException.badRequest("The body holds no " + what + ".");
        }
        return elements;
    }

    /** The body as text; invalid UTF-8 is refused rather than replaced, so no byte is silently altered. */
    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ProblemException.badRequest("Body is not valid UTF-8.");
        }
    }

    private static Element line(ObjectReader strictReader, int index, String line) {
        String path = "$[" + index + "]";
        try {
            return new Element(index, path, strictReader.readTree(line), null);
        } catch (IOException e) {
            return new Element(
                    index,
                    path,
                    null,
                    new FieldError(
                            path,
                            "line " + (index + 1) + " is not valid JSON: "
                                    + (e instanceof JsonProcessingException json
                                            ? JsonLimits.describe(json)
                                            : "unreadable")));
        }
    }

    private static JsonNode parse(ObjectReader strictReader, byte[] body, String what) {
        try {
            JsonNode tree = strictReader.readTree(body);
            if (tree == null || tree.isMissingNode()) {
                throw ProblemException.badRequest(
                        "Body is empty; expected " + article(what) + ", an array of them or NDJSON.");
            }
            return tree;
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("Body is not valid JSON: " + JsonLimits.describe(e) + " (send "
                    + article(what) + ", a JSON array, or application/x-ndjson)");
        } catch (IOException e) {
            throw ProblemException.badRequest("Body could not be read as JSON.");
        }
    }

    private static String article(String what) {
        return ("aeiou".indexOf(what.charAt(0)) >= 0 ? "an " : "a ") + what;
    }
}
