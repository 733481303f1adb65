package io.skywatch.live;

import static io.skywatch.testing.Auth.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.skywatch.testing.LiveSocketClient;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** {@code /ws/live} as a client uses it: subscriptions, the open alerts first, readings and rocket updates. */
@QuarkusTest
class LiveSocketTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TestHTTPResource("/ws/live")
    URI live;

    private static void reading(String station, Instant at, String metrics) {
        given().contentType("application/json")
                .body("{\"stationId\":\"%s\",\"timestamp\":\"%s\",%s}".formatted(station, at, metrics))
                .post("/sensors/readings")
                .then()
                .statusCode(202);
    }

    @Test
    void clientConnectingWhileAnAlertIsOpenGetsItFirst() {
        String station = "st-" + UUID.randomUUID();
        reading(station, Instant.parse("2026-11-21T08:00:00Z"), "\"pm10\":220");
        Awaitility.await()
                .atMost(WAIT)
                .until(() -> given().get("/alerts?station={s}&state=OPEN", station)
                                .then()
                                .extract()
                                .jsonPath()
                                .getList("$")
                                .size()
                        == 2);

        try (LiveSocketClient client = LiveSocketClient.connect(live, "stations=" + station)) {
            LiveSocketClient.Received open =
                    client.await(message -> message.type().equals("alerts-open"), WAIT);

            assertThat(client.received().get(0).type()).isEqualTo("subscribed");
            assertThat(open.json().path("alerts").findValuesAsText("ruleId"))
                    .containsExactlyInAnyOrder("pm10-warning", "pm10-critical");
        }
    }

    @Test
    void severityFilterLeavesOutLowerAlerts() {
        String station = "st-" + UUID.randomUUID();
        try (LiveSocketClient client = LiveSocketClient.connect(live, "stations=" + station + "&severity=critical")) {
            client.await(message -> message.type().equals("alerts-open"), WAIT);

            reading(station, Instant.parse("2026-11-21T09:00:00Z"), "\"no2\":200");

            LiveSocketClient.Received raised =
                    client.await(message -> message.type().equals("alert"), WAIT);
            assertThat(raised.json().at("/alert/ruleId").asText()).isEqualTo("no2-critical");
            assertThat(raised.json().path("transition").asText()).isEqualTo("RAISED");
            Awaitility.await()
                    .during(Duration.ofSeconds(1))
                    .atMost(Duration.ofSeconds(3))
                    .until(() -> client.ofType("alert").size() == 1);
        }
    }

    @Test
    void readingsAndRocketStatesReachTheirSubscribers() {
        String station = "st-" + UUID.randomUUID();
        String channel = UUID.randomUUID().toString();
        try (LiveSocketClient client = LiveSocketClient.connect(
                live, "streams=sensors,rockets&stations=" + station + "&channels=" + channel)) {
            client.await(message -> message.type().equals("subscribed"), WAIT);

            reading(station, Instant.parse("2026-11-21T10:00:00Z"), "\"temperature\":21.5");
            given().contentType("application/json")
                    .body("""
                            {"metadata":{"channel":"%s","messageNumber":1,"messageTime":"2026-11-21T10:00:00Z",\
                            "messageType":"RocketLaunched"},"message":{"type":"Falcon-9","launchSpeed":500,\
                            "mission":"ARTEMIS"}}""".formatted(channel))
                    .post("/messages")
                    .then()
                    .statusCode(202);

            JsonNode reading = client.await(message -> message.type().equals("reading"), WAIT)
                    .json();
            assertThat(reading.path("stationId").asText()).isEqualTo(station);
            assertThat(reading.at("/metrics/temperature").asDouble()).isEqualTo(21.5);
            JsonNode rocket = client.await(message -> message.type().equals("rocket"), WAIT)
                    .json();
            assertThat(rocket.at("/rocket/mission").asText()).isEqualTo("ARTEMIS");
            assertThat(rocket.at("/rocket/speed").asLong()).isEqualTo(500);
            assertThat(client.ofType("alerts-open"))
                    .as("alerts were not asked for")
                    .isEmpty();
        }
    }

    @Test
    void subscribeMessageChangesWhatTheClientGets() {
        String station = "st-" + UUID.randomUUID();
        try (LiveSocketClient client = LiveSocketClient.connect(live, "")) {
            client.await(message -> message.type().equals("alerts-open"), WAIT);

            client.send("{\"type\":\"subscribe\",\"streams\":[\"sensors\"],\"stations\":[\"%s\"]}".formatted(station));
            Awaitility.await()
                    .atMost(WAIT)
                    .until(() -> client.ofType("subscribed").size() == 2);
            reading(station, Instant.parse("2026-11-21T11:00:00Z"), "\"humidity\":55");

            assertThat(client.await(message -> message.type().equals("reading"), WAIT)
                            .json()
                            .path("stationId")
                            .asText())
                    .isEqualTo(station);
        }
    }

    @Test
    void badSubscriptionIsAnsweredWithItsReason() {
        try (LiveSocketClient client = LiveSocketClient.connect(live, "streams=Weather%21")) {
            JsonNode error = client.await(message -> message.type().equals("error"), WAIT)
                    .json();
            assertThat(error.path("detail").asText()).contains("streams").contains("Weather!");

            client.send("{\"type\":\"unsubscribe\"}");
        } catch (RuntimeException closedMeanwhile) {
            // The server closes the socket after the error; a send racing that close may fail, which is fine.
        }
        try (LiveSocketClient client = LiveSocketClient.connect(live, "")) {
            client.await(message -> message.type().equals("alerts-open"), WAIT);
            client.send("not json");
            assertThat(client.await(message -> message.type().equals("error"), WAIT)
                            .json()
                            .path("detail")
                            .asText())
                    .contains("JSON");
        }
    }
}
