package io.skywatch.security;

import static io.skywatch.security.HostileInputTest.bytes;
import static io.skywatch.security.HostileInputTest.reading;
import static io.skywatch.security.HostileInputTest.rocket;

import io.skywatch.security.HostileInputTest.Shot;
import io.skywatch.testing.Auth;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/** Generators of bad requests for {@link HostileInputTest}, one per kind of hostile input; seeded. */
final class Generators {

    private static final String JSON = "application/json";
    private static final String NDJSON = "application/x-ndjson";

    private final Random random;
    private final String run;
    private final String emitter;
    private final String scoped;
    private final String viewer;
    private final String stream;
    private final Instant t0;

    Generators(Random random, String run, String emitter, String scoped, String viewer, String stream, Instant t0) {
        this.random = random;
        this.run = run;
        this.emitter = emitter;
        this.scoped = scoped;
        this.viewer = viewer;
        this.stream = stream;
        this.t0 = t0;
    }

    static List<Function<Generators, Shot>> all() {
        return List.of(
                Generators::randomBytes,
                Generators::truncatedJson,
                Generators::hugeNumbers,
                Generators::deepNesting,
                Generators::longStrings,
                Generators::invalidUtf8,
                Generators::mongoOperatorKeys,
                Generators::wrongTypes,
                Generators::oversizedBatches,
                Generators::wrongMediaTypes,
                Generators::badCredentials,
                Generators::badQueries,
                Generators::badDefinitions);
    }

    private <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    private String badChannel() {
        return "bad-" + run + "-" + random.nextInt(1000);
    }

    private String validRocket() {
        return rocket(badChannel(), 1 + random.nextInt(5));
    }

    private String validReading() {
        return reading("bad-" + run + "-st", 1 + random.nextInt(5), t0);
    }

    private Shot post(String category, String path, String contentType, byte[] body) {
        return new Shot(category, "POST", path, contentType, emitter, body, false);
    }

    private String eventsPath() {
        return "/streams/" + stream + "/events";
    }

    Shot randomBytes() {
        byte[] body = new byte[1 + random.nextInt(2000)];
        random.nextBytes(body);
        return switch (random.nextInt(5)) {
            case 0 -> post("random-bytes", "/messages", null, body);
            case 1 -> post("random-bytes", "/sensors/readings", JSON, body);
            case 2 -> post("random-bytes", "/sensors/readings", NDJSON, body);
            case 3 -> post("random-bytes", eventsPath(), JSON, body);
            default -> post("random-bytes", eventsPath(), NDJSON, body);
        };
    }

    Shot truncatedJson() {
        boolean rocket = random.nextBoolean();
        String full = rocket ? validRocket() : "[" + validReading() + "]";
        String cut = full.substring(0, 1 + random.nextInt(full.length() - 2));
        return rocket
                ? post("truncated-json", "/messages", null, bytes(cut))
                : post("truncated-json", "/sensors/readings", JSON, bytes(cut));
    }

    Shot hugeNumbers() {
        String number = pick(
                List.of("1e400", "-1e400", "9".repeat(30), "9".repeat(200), "1e308", "-9".repeat(1) + "9".repeat(40)));
        return switch (random.nextInt(4)) {
            case 0 ->
                post(
                        "huge-numbers",
                        "/messages",
                        JSON,
                        bytes(validRocket().replaceFirst("\"messageNumber\":\\d+", "\"messageNumber\":" + number)));
            case 1 ->
                post(
                        "huge-numbers",
                        "/messages",
                        null,
                        bytes(rocket(badChannel(), 1).replace("\"launchSpeed\":500", "\"launchSpeed\":" + number)));
            case 2 ->
                post(
                        "huge-numbers",
                        "/messages",
                        null,
                        bytes(rocket(badChannel(), 1)
                                .replace(
                                        "\"mission\":\"ARTEMIS\"",
                                        "\"mission\":\"A\",\"x\":" + (number.equals("1e308") ? "1e400" : number))));
            default ->
                post(
                        "huge-numbers",
                        "/sensors/readings",
                        JSON,
                        bytes(validReading().replaceFirst("\"temperature\":[0-9.]+", "\"temperature\":" + number)));
        };
    }

    Shot deepNesting() {
        int depth = 33 + random.nextInt(3000);
        String open = random.nextBoolean() ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        String deep = open.repeat(depth) + "1" + close.repeat(depth);
        return switch (random.nextInt(4)) {
            case 0 -> post("deep-nesting", "/messages", null, bytes(deep));
            case 1 ->
                post(
                        "deep-nesting",
                        "/messages",
                        null,
                        bytes(rocket(badChannel(), 1)
                                .replace("\"mission\":\"ARTEMIS\"", "\"mission\":\"A\",\"x\":" + deep)));
            case 2 -> post("deep-nesting", "/sensors/readings", JSON, bytes("[" + deep + "]"));
            default -> post("deep-nesting", eventsPath(), NDJSON, bytes(deep + "\n" + deep));
        };
    }

    Shot longStrings() {
        return switch (random.nextInt(4)) {
            // Over skywatch.ingest.max-message-bytes: 413.
            case 0 ->
                post(
                        "long-strings",
                        "/messages",
                        null,
                        bytes(rocket(badChannel(), 1).replace("ARTEMIS", "A".repeat(17_000 + random.nextInt(5000)))));
            case 1 ->
                post(
                        "long-strings",
                        "/sensors/readings",
                        JSON,
                        bytes("[" + validReading().replace("{", "{\"note\":\"" + "n".repeat(70_000) + "\",") + "]"));
            case 2 ->
                post(
                        "long-strings",
                        "/messages",
                        null,
                        bytes(rocket(badChannel(), 1)
                                .replace("{\"metadata\"", "{\"" + "k".repeat(300) + "\":1,\"metadata\"")));
            default -> post("long-strings", "/messages", null, bytes(rocket("c".repeat(129 + random.nextInt(500)), 1)));
        };
    }

    Shot invalidUtf8() {
        byte[] bad = pick(List.of(
                new byte[] {(byte) 0xC3, 0x28},
                new byte[] {(byte) 0xFF},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
                new byte[] {(byte) 0xE2, (byte) 0x82}));
        boolean rocket = random.nextBoolean();
        String text = rocket ? validRocket() : validReading();
        String marker = rocket ? "ARTEMIS" : "bad-" + run + "-st";
        int at = text.indexOf(marker) + 1 + random.nextInt(marker.length() - 1);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(text.substring(0, at).getBytes(StandardCharsets.UTF_8));
        body.writeBytes(bad);
        body.writeBytes(text.substring(at).getBytes(StandardCharsets.UTF_8));
        if (rocket) {
            return post("invalid-utf8", "/messages", null, body.toByteArray());
        }
        return post("invalid-utf8", "/sensors/readings", random.nextBoolean() ? JSON : NDJSON, body.toByteArray());
    }

    Shot mongoOperatorKeys() {
        String key = pick(List.of("$where", "$gt", "$ne", "$set", "$regex", "a.b", "x\\u0000y", "$code", "$date"));
        String value = pick(List.of("1", "\"sleep(1000)\"", "{\"$gt\":\"\"}", "[{\"$ne\":null}]"));
        return switch (random.nextInt(5)) {
            case 0 ->
                post(
                        "mongo-operator-keys",
                        "/messages",
                        null,
                        bytes(rocket(badChannel(), 1)
                                .replace("\"mission\":\"ARTEMIS\"", "\"mission\":\"A\",\"" + key + "\":" + value)));
            case 1 ->
                post(
                        "mongo-operator-keys",
                        "/messages",
                        null,
                        bytes(rocket(badChannel(), 1)
                                .replace(
                                        "\"mission\":\"ARTEMIS\"",
                                        "\"mission\":\"A\",\"q\":{\"" + key + "\":" + value + "}")));
            case 2 ->
                post(
                        "mongo-operator-keys",
                        "/sensors/readings",
                        JSON,
                        bytes("[" + validReading().replace("{", "{\"" + key + "\":" + value + ",") + "]"));
            case 3 ->
                new Shot(
                        "mongo-operator-keys",
                        "POST",
                        "/stations",
                        JSON,
                        Auth.adminKey(),
                        bytes("{\"id\":\"bad-" + run + "-st\",\"name\":\"n\",\"metadata\":{\"" + key + "\":\"1\"}}"),
                        false);
            default ->
                post(
                        "mongo-operator-keys",
                        eventsPath(),
                        JSON,
                        bytes("{\"id\":\"e\",\"v\":1,\"" + key + "\":" + value + "}"));
        };
    }

    Shot wrongTypes() {
        String rocket = rocket(badChannel(), 1);
        List<String> rockets = List.of(
                rocket.replace("\"messageNumber\":1", "\"messageNumber\":\"1\""),
                rocket.replace("\"messageNumber\":1", "\"messageNumber\":true"),
                rocket.replaceFirst("\"channel\":\"[^\"]+\"", "\"channel\":123"),
                rocket.replace("\"launchSpeed\":500", "\"launchSpeed\":-5"),
                rocket.replace("\"launchSpeed\":500", "\"launchSpeed\":[500]"),
                rocket.replaceFirst("\"message\":\\{.*}}$", "\"message\":[]}"),
                rocket.replaceFirst("\"metadata\":\\{[^}]*}", "\"metadata\":null"),
                rocket.replace("\"RocketLaunched\"", "7"),
                rocket.replace("\"2026-11-26T03:00:00Z\"", "12"),
                "[" + rocket + "]",
                "\"" + rocket.replace("\"", "'") + "\"",
                "null",
                "{}");
        String reading = validReading();
        List<String> readings = List.of(
                reading.replaceFirst("\"temperature\":[0-9.]+", "\"temperature\":\"hot\""),
                reading.replaceFirst("\"timestamp\":\"[^\"]+\"", "\"timestamp\":5"),
                reading.replaceFirst("\"stationId\":\"[^\"]+\"", "\"stationId\":null"),
                reading.replaceFirst("\"sequence\":\\d+", "\"sequence\":-1"),
                reading.replaceFirst("\"temperature\":[0-9.]+", "\"temperature\":9000"),
                "[1,2,3]",
                "[[]]",
                "[null]");
        if (random.nextBoolean()) {
            return post("wrong-types", "/messages", random.nextBoolean() ? null : JSON, bytes(pick(rockets)));
        }
        if (random.nextInt(3) == 0) {
            return post(
                    "wrong-types",
                    eventsPath(),
                    JSON,
                    bytes(pick(
                            List.of("{\"id\":5,\"v\":1}", "{\"id\":\"x\",\"v\":\"1\"}", "{\"v\":1}", "[1]", "\"x\""))));
        }
        String body = pick(readings);
        return post("wrong-types", "/sensors/readings", JSON, bytes(body.startsWith("[") ? body : "[" + body + "]"));
    }

    Shot oversizedBatches() {
        int kind = random.nextInt(40);
        if (kind == 0) {
            // Over skywatch.sensors.max-batch-bytes (4 MiB).
            byte[] body = new byte[4 * 1024 * 1024 + 1 + random.nextInt(1000)];
            java.util.Arrays.fill(body, (byte) ' ');
            body[0] = '[';
            body[body.length - 1] = ']';
            return post("oversized-batches", "/sensors/readings", JSON, body);
        }
        int items = 10_001 + random.nextInt(200);
        String item = kind % 2 == 0 ? "{}" : validReading();
        StringBuilder batch = new StringBuilder();
        boolean ndjson = kind % 3 == 0;
        if (!ndjson) {
            batch.append('[');
        }
        for (int i = 0; i < items; i++) {
            if (i > 0) {
                batch.append(ndjson ? "\n" : ",");
            }
            batch.append(item);
        }
        if (!ndjson) {
            batch.append(']');
        }
        if (kind % 5 == 0) {
            return post("oversized-batches", eventsPath(), ndjson ? NDJSON : JSON, bytes(batch.toString()));
        }
        return post("oversized-batches", "/sensors/readings", ndjson ? NDJSON : JSON, bytes(batch.toString()));
    }

    Shot wrongMediaTypes() {
        String type = pick(List.of(
                "text/plain",
                "application/xml",
                "multipart/form-data; boundary=x",
                "application/x-www-form-urlencoded",
                "image/png",
                "text/json-ish"));
        return switch (random.nextInt(3)) {
            case 0 -> post("wrong-media-type", "/messages", type, bytes(validRocket()));
            case 1 -> post("wrong-media-type", "/sensors/readings", type, bytes(validReading()));
            default -> post("wrong-media-type", eventsPath(), type, bytes("{\"id\":\"e\",\"v\":1}"));
        };
    }

    Shot badCredentials() {
        byte[] body = bytes(validRocket());
        return switch (random.nextInt(6)) {
            case 0 -> new Shot("bad-credentials", "POST", "/messages", null, null, body, false);
            case 1 -> new Shot("bad-credentials", "POST", "/messages", null, "sk_" + run + "_nope", body, false);
            case 2 ->
                new Shot(
                        "bad-credentials",
                        "POST",
                        "/messages",
                        null,
                        emitter.substring(0, emitter.length() - 1) + (emitter.endsWith("A") ? "B" : "A"),
                        body,
                        false);
            case 3 -> new Shot("bad-credentials", "POST", "/messages", null, viewer, body, false);
            case 4 -> new Shot("bad-credentials", "GET", "/admin/keys", null, emitter, new byte[0], false);
            // Valid JSON, but the channel is outside the key's scope.
            default -> new Shot("bad-credentials", "POST", "/messages", null, scoped, body, false);
        };
    }

    Shot badQueries() {
        String path = pick(List.of(
                "/rockets?sort=$where",
                "/rockets?sort=%7B%22%24gt%22%3A1%7D",
                "/rockets?status=%7B%22%24ne%22%3Anull%7D",
                "/rockets?limit=-1",
                "/rockets?limit=abc",
                "/rockets?offset=-5",
                "/rockets/%24where",
                "/stations?limit=99999999",
                "/stations?include=everything",
                "/stations/x/readings?from=yesterday",
                "/stations/x/readings?from=%7B%22%24gt%22%3A1%7D",
                "/stations/x/aggregates?window=7m",
                "/no/such/path",
                "/streams/" + stream + "/events?limit=-1"));
        return new Shot("bad-queries", "GET", path, null, viewer, new byte[0], false);
    }

    Shot badDefinitions() {
        // Bodies no endpoint can take, then bodies wrong for one endpoint in particular.
        List<String> anywhere = List.of("[]", "\"x\"", "42", "{", "{\"name\":{\"$gt\":1}}", "null");
        String path = pick(List.of("/streams", "/alert-rules", "/admin/keys", "/stations"));
        List<String> specific = switch (path) {
            case "/streams" ->
                List.of(
                        "{\"name\":\"Bad Name!\",\"schema\":{\"type\":\"object\"},\"keyField\":\"id\"}",
                        "{\"name\":\"ok-name\",\"schema\":{\"type\":7},\"keyField\":\"id\"}",
                        "{\"name\":\"ok-name\",\"schema\":{\"type\":\"object\"}}");
            case "/alert-rules" ->
                List.of(
                        "{\"metric\":\"nope\",\"severity\":\"WARNING\",\"raiseAbove\":1}",
                        "{\"metric\":\"pm10\",\"severity\":\"LOUD\",\"raiseAbove\":1}",
                        "{\"metric\":\"pm10\",\"severity\":\"WARNING\",\"raiseAbove\":\"x\"}");
            case "/admin/keys" ->
                List.of(
                        "{\"name\":\"" + "n".repeat(300) + "\"}",
                        "{\"name\":\"k\",\"roles\":[\"root\"]}",
                        "{\"name\":\"k\",\"channels\":[\"$where\"]}",
                        "{\"name\":\"k\",\"quotaRate\":0}",
                        "{\"roles\":[\"admin\"]}");
            default ->
                List.of(
                        "{\"id\":\"st\",\"name\":\"n\",\"latitude\":91,\"longitude\":0}",
                        "{\"id\":\"st\",\"name\":\"n\",\"metadata\":{\"a.b\":\"c\"}}",
                        "{\"name\":\"no id\"}");
        };
        String body = random.nextInt(3) == 0 ? pick(anywhere) : pick(specific);
        return new Shot("bad-definitions", "POST", path, JSON, Auth.adminKey(), bytes(body), false);
    }
}
