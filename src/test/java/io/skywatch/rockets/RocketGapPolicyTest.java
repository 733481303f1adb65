package io.skywatch.rockets;

import static io.skywatch.testing.Auth.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The gap policy end to end: a channel stops waiting for a missing number (on timeout or when too many
 * messages wait), records the skip, and when the number turns up after all its state is rebuilt so it ends
 * exactly as an in-order replay.
 */
@QuarkusTest
class RocketGapPolicyTest {

    /** Prometheus metrics, on the management interface. */
    @TestHTTPResource(value = "/metrics", management = true)
    URL metricsUrl;

    @ConfigProperty(name = "skywatch.sequencer.max-pending")
    int maxPending;

    private static void send(String channel, long number) {
        String body = number == 1
                ? "{\"type\":\"Falcon-9\",\"launchSpeed\":500,\"mission\":\"ARTEMIS\"}"
                : "{\"by\":" + number + "}";
        String type = number == 1 ? "RocketLaunched" : "RocketSpeedIncreased";
        given().contentType("application/json")
                .body("""
                        {"metadata":{"channel":"%s","messageNumber":%d,"messageTime":"2022-02-02T19:39:05+01:00",\
                        "messageType":"%s"},"message":%s}""".formatted(channel, number, type, body))
                .post("/messages")
                .then()
                .statusCode(202);
    }

    private static JsonPath rocket(String channel) {
        return given().get("/rockets/{channel}", channel)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** 500 at launch plus every speed increase from 2 to {@code last}, each by its own number. */
    private static long speedAfter(long last, long... missing) {
        long speed = 500 + (last * (last + 1) / 2 - 1);
        for (long number : missing) {
            speed -= number;
        }
        return speed;
    }

    @Test
    void missingNumberIsSkippedAfterTheTimeoutAndAppliedWhenItArrivesLate() {
        String channel = UUID.randomUUID().toString();
        send(channel, 1);
        send(channel, 3);
        send(channel, 4);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonPath rocket = rocket(channel);
            assertThat(rocket.getLong("lastMessageNumber")).isEqualTo(4);
            assertThat(rocket.getLong("skippedCount")).isEqualTo(1);
            assertThat(rocket.getList("skippedMessageNumbers.from", Long.class)).containsExactly(2L);
            assertThat(rocket.getLong("speed")).isEqualTo(speedAfter(4, 2));
        });

        send(channel, 2);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonPath rocket = rocket(channel);
            assertThat(rocket.getLong("skippedCount")).isZero();
            assertThat(rocket.getLong("speed")).isEqualTo(speedAfter(4));
            assertThat(rocket.getLong("lastMessageNumber")).isEqualTo(4);
        });
    }

    @Test
    void missingNumberIsSkippedWhenTooManyMessagesWaitBehindIt() {
        String channel = UUID.randomUUID().toString();
        long last = maxPending + 2L;
        send(channel, 1);
        for (long number = 3; number <= last; number++) {
            send(channel, number);
        }

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonPath rocket = rocket(channel);
            assertThat(rocket.getLong("lastMessageNumber")).isEqualTo(last);
            assertThat(rocket.getInt("pendingMessages")).isZero();
            assertThat(rocket.getLong("skippedCount")).isEqualTo(1);
            assertThat(rocket.getLong("speed")).isEqualTo(speedAfter(last, 2));
        });
        String gaps = given().get(metricsUrl).then().statusCode(200).extract().asString();
        assertThat(gaps).containsPattern("skywatch_sequencer_gaps_declared_total\\{stream=\"rockets\"\\} [1-9]");

        send(channel, 2);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonPath rocket = rocket(channel);
            assertThat(rocket.getLong("skippedCount")).isZero();
            assertThat(rocket.getLong("speed")).isEqualTo(speedAfter(last));
        });
    }
}
