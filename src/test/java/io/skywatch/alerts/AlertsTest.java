package io.skywatch.alerts;

import static io.skywatch.testing.Auth.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Threshold rules managed over HTTP, applied to station readings, alerts stored and queryable. */
@QuarkusTest
class AlertsTest {

    /** Prometheus metrics, on the management interface. */
    @TestHTTPResource(value = "/metrics", management = true)
    URL metricsUrl;

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private static void reading(String station, long sequence, double humidity) {
        given().contentType("application/json")
                .body("{\"stationId\":\"%s\",\"timestamp\":\"%s\",\"sequence\":%d,\"humidity\":%s}"
                        .formatted(station, T0.plusSeconds(sequence * 10), sequence, humidity))
                .post("/sensors/readings")
                .then()
                .statusCode(202);
    }

    @Test
    void defaultRulesNameTheirSource() {
        given().get("/alert-rules/pm2_5-warning")
                .then()
                .statusCode(200)
                .body("raiseAbove", equalTo(15.0f))
                .body("severity", equalTo("WARNING"))
                .body("source", org.hamcrest.Matchers.containsString("WHO"));
    }

    @Test
    void breachRaisesOneAlertThatClearsBelowTheClearingLevelAndCoolsDown() {
        String station = "st-" + UUID.randomUUID();
        given().contentType("application/json")
                .body("""
                        {"id":"humid-%s","metric":"humidity","severity":"CRITICAL","raiseAbove":90,"clearBelow":80,\
                        "stationId":"%s","coolDownSeconds":600}""".formatted(station, station))
                .post("/alert-rules")
                .then()
                .statusCode(201);

        double[] values = {60, 95, 97, 85, 70, 99};
        for (int i = 0; i < values.length; i++) {
            reading(station, i + 1, values[i]);
        }

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonPath alerts = given().get("/alerts?station={s}", station)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertThat(alerts.getList("$")).hasSize(1);
            assertThat(alerts.getString("[0].state")).isEqualTo("CLEARED");
            assertThat(alerts.getString("[0].severity")).isEqualTo("CRITICAL");
            assertThat(alerts.getDouble("[0].raisedValue")).isEqualTo(95);
            assertThat(alerts.getDouble("[0].peakValue")).isEqualTo(97);
            assertThat(alerts.getString("[0].raisedAt"))
                    .isEqualTo(T0.plusSeconds(20).toString());
            assertThat(alerts.getString("[0].clearedAt"))
                    .isEqualTo(T0.plusSeconds(50).toString());
        });
        given().get("/alerts?station={s}&state=OPEN", station)
                .then()
                .statusCode(200)
                .body("size()", equalTo(0));
        assertThat(given().get(metricsUrl).then().extract().asString())
                .containsPattern("skywatch_alerts_total\\{severity=\"critical\",transition=\"raised\"\\} [1-9]");
    }

    @Test
    void breachAndClearSentTogetherEndAsOneClearedAlert() {
        String station = "st-" + UUID.randomUUID();
        String ndjson = "";
        double[] pm25 = {12, 88, 9};
        for (int i = 0; i < pm25.length; i++) {
            ndjson += "{\"stationId\":\"%s\",\"timestamp\":\"%s\",\"sequence\":%d,\"pm2_5\":%s}\n"
                    .formatted(station, T0.plusSeconds(60L * i), i + 1, pm25[i]);
        }
        given().contentType("application/x-ndjson")
                .body(ndjson.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/sensors/readings")
                .then()
                .statusCode(202);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonPath alerts = given().get("/alerts?station={s}", station)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertThat(alerts.getList("ruleId", String.class))
                    .containsExactlyInAnyOrder("pm2_5-warning", "pm2_5-critical");
            assertThat(alerts.getList("state", String.class)).containsOnly("CLEARED");
        });
    }

    @Test
    void rulesAreCreatedReplacedAndDeleted() {
        String id = "rule-" + UUID.randomUUID();
        String body =
                "{\"id\":\"%s\",\"metric\":\"noise_level\",\"severity\":\"WARNING\",\"raiseAbove\":80}".formatted(id);

        given().contentType("application/json")
                .body(body)
                .post("/alert-rules")
                .then()
                .statusCode(201)
                .body("clearBelow", equalTo(72.0f))
                .body("coolDownSeconds", equalTo(300));
        given().contentType("application/json")
                .body(body)
                .post("/alert-rules")
                .then()
                .statusCode(409)
                .contentType("application/problem+json");
        given().contentType("application/json")
                .body(body.replace("80", "85"))
                .put("/alert-rules/{id}", id)
                .then()
                .statusCode(200)
                .body("raiseAbove", equalTo(85.0f));
        given().get("/alert-rules").then().statusCode(200).body("id", hasItem(id));
        given().delete("/alert-rules/{id}", id).then().statusCode(204);
        given().get("/alert-rules/{id}", id).then().statusCode(404);
    }

    @Test
    void invalidRuleNamesTheField() {
        given().contentType("application/json")
                .body("{\"metric\":\"radiation\",\"severity\":\"WARNING\",\"raiseAbove\":1}")
                .post("/alert-rules")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("$.metric"));
        given().contentType("application/json")
                .body("{\"metric\":\"humidity\",\"severity\":\"WARNING\",\"raiseAbove\":50,\"clearBelow\":60}")
                .post("/alert-rules")
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("$.clearBelow"));
    }

    @Test
    void invalidAlertQueryIsABadRequest() {
        given().get("/alerts?severity=apocalyptic").then().statusCode(400).body("errors.field", hasItem("severity"));
    }
}
