package io.skywatch.emitters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Compares a Rockets run's expected end state with what the gateway serves ({@code GET /rockets/{channel}}),
 * waiting while the gateway is still applying messages. Used by {@code emit rockets --verify}.
 */
public final class RocketsCheck {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RocketsCheck() {}

    /** The differences left once every rocket matches or {@code atMost} has passed; empty means equal. */
    public static List<String> awaitMatch(URI gateway, List<RocketScript.Expected> expected, Duration atMost)
            throws InterruptedException {
        return awaitMatch(gateway, expected, atMost, null);
    }

    /** As {@link #awaitMatch(URI, List, Duration)}, reading with this API key (a viewer's; null: none). */
    public static List<String> awaitMatch(
            URI gateway, List<RocketScript.Expected> expected, Duration atMost, String apiKey)
            throws InterruptedException {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        long deadline = System.nanoTime() + atMost.toNanos();
        List<RocketScript.Expected> left = new ArrayList<>(expected);
        List<String> differences = new ArrayList<>();
        while (true) {
            differences.clear();
            List<RocketScript.Expected> stillLeft = new ArrayList<>();
            for (RocketScript.Expected rocket : left) {
                String difference = compare(http, gateway, rocket, apiKey);
                if (difference != null) {
                    differences.add(difference);
                    stillLeft.add(rocket);
                }
            }
            left = stillLeft;
            if (left.isEmpty() || System.nanoTime() > deadline) {
                return differences;
            }
            Thread.sleep(500);
        }
    }

    private static String compare(HttpClient http, URI gateway, RocketScript.Expected expected, String apiKey)
            throws InterruptedException {
        JsonNode actual;
        try {
            HttpResponse<String> response = http.send(
                    HttpSender.authorize(
                                    HttpRequest.newBuilder(gateway.resolve("/rockets/" + expected.channel())), apiKey)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return expected.channel() + ": GET answered " + response.statusCode();
            }
            actual = JSON.readTree(response.body());
        } catch (IOException e) {
            return expected.channel() + ": " + e;
        }
        List<String> fields = new ArrayList<>();
        check(fields, "type", expected.type(), text(actual, "type"));
        check(fields, "mission", expected.mission(), text(actual, "mission"));
        check(fields, "speed", expected.speed(), actual.path("speed").asLong());
        check(fields, "status", expected.status(), text(actual, "status"));
        check(fields, "explosionReason", expected.explosionReason(), text(actual, "explosionReason"));
        check(
                fields,
                "lastMessageNumber",
                expected.lastMessageNumber(),
                actual.path("lastMessageNumber").asLong());
        check(fields, "launchTime", expected.launchTime(), instant(actual, "launchTime"));
        check(fields, "lastMessageTime", expected.lastMessageTime(), instant(actual, "lastMessageTime"));
        check(fields, "skippedCount", 0L, actual.path("skippedCount").asLong());
        return fields.isEmpty() ? null : expected.channel() + ": " + String.join(", ", fields);
    }

    private static void check(List<String> differences, String field, Object expected, Object actual) {
        if (!Objects.equals(expected, actual)) {
            differences.add(field + " expected " + expected + " but is " + actual);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNull() || value.isMissingNode() ? null : value.asText();
    }

    private static Instant instant(JsonNode node, String field) {
        String value = text(node, field);
        return value == null ? null : Instant.parse(value);
    }
}
