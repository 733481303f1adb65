package io.skywatch.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.skywatch.problem.Problem.FieldError;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Whether a client's JSON can be stored as a MongoDB document as it is: no key that MongoDB would read as an
 * operator or a path ({@code $where}, {@code $gt}, {@code a.b}, NUL), and only numbers BSON holds exactly (finite,
 * integers within 64 bits). Checked at ingest, so what was acknowledged can always be stored.
 */
public final class MongoSafeJson {

    private static final int MAX_ERRORS = 20;

    private MongoSafeJson() {}

    /** The offending fields of {@code node}, paths starting at {@code root}; empty when it is safe. */
    public static List<FieldError> violations(JsonNode node, String root) {
        return new Walk(root, true).violations(node);
    }

    /**
     * Only the numbers: for events kept as JSON text (run-time streams), whose keys never reach MongoDB as keys but
     * whose numbers must read back as written.
     */
    public static List<FieldError> numberViolations(JsonNode node, String root) {
        return new Walk(root, false).violations(node);
    }

    /**
     * One document's walk. The path to where it is only becomes text for an offending field: building it for every
     * field (a concatenation per key) was a tenth of the gateway's CPU for sensor batches that were all valid.
     */
    private static final class Walk {

        private final String root;
        private final boolean keys;
        /** Keys (String) and array indexes (Integer) from the root to the node being walked. */
        private final List<Object> trail = new ArrayList<>();

        private final List<FieldError> errors = new ArrayList<>();

        Walk(String root, boolean keys) {
            this.root = root;
            this.keys = keys;
        }

        List<FieldError> violations(JsonNode node) {
            walk(node);
            return errors;
        }

        private void walk(JsonNode node) {
            if (errors.size() >= MAX_ERRORS) {
                return;
            }
            if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    String key = field.getKey();
                    if (keys
                            && (key.isEmpty()
                                    || key.charAt(0) == '$'
                                    || key.indexOf('.') >= 0
                                    || key.indexOf('\0') >= 0)) {
                        errors.add(new FieldError(
                                path() + "." + printable(key),
                                "keys may not be empty, start with '$' or contain '.' or NUL (they would be MongoDB "
                                        + "operators or paths)"));
                        continue;
                    }
                    descend(key, field.getValue());
                }
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    descend(i, node.get(i));
                }
            } else if (node.isBigInteger() || (node.isFloatingPointNumber() && !Double.isFinite(node.asDouble()))) {
                errors.add(new FieldError(path(), "numbers must be finite, integers within 64 bits"));
            } else if (node.isBigDecimal()
                    && !Double.isFinite(node.decimalValue().doubleValue())) {
                errors.add(new FieldError(path(), "numbers must be finite, integers within 64 bits"));
            }
        }

        private void descend(Object step, JsonNode child) {
            if (!child.isContainerNode() && !child.isNumber()) {
                return; // strings, booleans and null are always safe
            }
            trail.add(step);
            walk(child);
            trail.remove(trail.size() - 1);
        }

        private String path() {
            StringBuilder path = new StringBuilder(root);
            for (Object step : trail) {
                if (step instanceof Integer index) {
                    path.append('[').append(index).append(']');
                } else {
                    path.append('.').append(step);
                }
            }
            return path.toString();
        }
    }

    private static String printable(String key) {
        String shown = key.length() > 64 ? key.substring(0, 64) + "…" : key;
        return shown.replace("\0", "\\u0000");
    }
}
