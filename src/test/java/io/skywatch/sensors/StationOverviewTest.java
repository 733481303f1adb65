package io.skywatch.sensors;

import static io.skywatch.testing.Auth.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What the dashboard loads in one request each: stations with their latest values, and the metric catalogue. */
@QuarkusTest
class StationOverviewTest {

    private final String district = "overview-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void stationListIncludesLatestValuesOnlyWhenAskedFor() {
        String reporting = district + "-a";
        String silent = district + "-b";
        for (String id : new String[] {reporting, silent}) {
            given().contentType("application/json")
                    .body(Map.of("id", id, "name", "Overview " + id, "district", district))
                    .post("/stations")
                    .then()
                    .statusCode(201);
        }
        Instant older = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(20);
        given().contentType("application/json")
                .body(new Object[] {
                    Map.of(
                            "stationId",
                            reporting,
                            "timestamp",
                            older.plusSeconds(10).toString(),
                            "humidity",
                            61.5),
                    Map.of("stationId", reporting, "timestamp", older.toString(), "humidity", 40.0, "no2", 12.0)
                })
                .post("/sensors/readings")
                .then()
                .statusCode(202);

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().queryParam("district", district)
                        .queryParam("include", "latest")
                        .get("/stations")
                        .then()
                        .statusCode(200)
                        .body("find { it.id == '" + reporting + "' }.latest.humidity.value", equalTo(61.5f))
                        .body("find { it.id == '" + reporting + "' }.latest.humidity.unit", equalTo("%"))
                        .body("find { it.id == '" + reporting + "' }.latest.no2.value", equalTo(12.0f))
                        .body("find { it.id == '" + silent + "' }.latest", equalTo(Map.of())));

        given().queryParam("district", district)
                .get("/stations")
                .then()
                .statusCode(200)
                .body("find { it.id == '" + reporting + "' }", org.hamcrest.Matchers.hasKey("district"))
                .body("find { it.id == '" + reporting + "' }.latest", nullValue());
    }

    @Test
    void unknownIncludeIsABadRequest() {
        given().queryParam("include", "everything")
                .get("/stations")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("include"))
                .body("errors[0].reason", containsString("latest"));
    }

    @Test
    void metricCatalogueGivesUnitsAndRanges() {
        given().get("/sensors/metrics")
                .then()
                .statusCode(200)
                .body("name", hasItem("pm2_5"))
                .body("find { it.name == 'pm2_5' }.unit", equalTo("µg/m³"))
                .body("find { it.name == 'humidity' }.max", equalTo(100.0f));
    }
}
