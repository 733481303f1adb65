package io.skywatch.sensors;

import static io.skywatch.testing.Auth.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.skywatch.testing.Auth;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Station readings over HTTP into Kafka, back out as stored readings and latest values. */
@QuarkusTest
class SensorReadingsTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private static String station() {
        return "st-" + UUID.randomUUID();
    }

    private static String reading(String station, Instant at, Long sequence, String metrics) {
        return "{\"stationId\":\"%s\",\"timestamp\":\"%s\"%s,%s}"
                .formatted(station, at, sequence == null ? "" : ",\"sequence\":" + sequence, metrics);
    }

    private static JsonPath latest(String station) {
        return given().get("/stations/{id}/latest", station)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    @TestHTTPResource("/sensors/readings")
    URI readings;

    @Test
    void singleReadingWithoutContentTypeIsStoredAndAutoRegistersItsStation() throws Exception {
        String station = station();

        // The JDK client sends no Content-Type unless told to, like many field emitters.
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(readings)
                                .header(Auth.HEADER, Auth.adminKey())
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        reading(station, T0, null, "\"temperature\":24.5,\"pm2_5\":12.0")))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(response.body()).contains("\"accepted\":1");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonPath latest = latest(station);
            assertThat(latest.getDouble("metrics.temperature.value")).isEqualTo(24.5);
            assertThat(latest.getString("metrics.temperature.unit")).isEqualTo("°C");
            assertThat(latest.getDouble("metrics.pm2_5.value")).isEqualTo(12.0);
        });
        given().get("/stations/{id}", station).then().statusCode(200).body("autoRegistered", equalTo(true));
    }

    @Test
    void batchIsValidatedItemByItem() {
        String station = station();
        String body = "[" + reading(station, T0, null, "\"humidity\":55")
                + "," + reading(station, T0.plusSeconds(1), null, "\"radiation\":3")
                + "," + reading(station, T0.plusSeconds(2), null, "\"humidity\":140") + "]";

        given().contentType("application/json")
                .body(body)
                .post("/sensors/readings")
                .then()
                .statusCode(202)
                .body("accepted", equalTo(1))
                .body("rejected", equalTo(2))
                .body("rejections.index", equalTo(List.of(1, 2)))
                .body("rejections[0].errors[0].field", equalTo("$[1].radiation"))
                .body("rejections[0].errors[0].reason", containsString("not defined in the schema"))
                .body("rejections[1].errors[0].field", equalTo("$[2].humidity"));
    }

    @Test
    void ndjsonLinesAreReadingsAndABrokenLineRejectsOnlyItself() {
        String station = station();
        String body = reading(station, T0, 1L, "\"noise_level\":51") + "\n{\"stationId\":\n"
                + reading(station, T0.plusSeconds(1), 2L, "\"noise_level\":53") + "\n";

        given().contentType("application/x-ndjson")
                .body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/sensors/readings")
                .then()
                .statusCode(202)
                .body("accepted", equalTo(2))
                .body("rejections[0].index", equalTo(1))
                .body("rejections[0].errors[0].reason", containsString("not valid JSON"));

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(latest(station).getDouble("metrics.noise_level.value"))
                        .isEqualTo(53));
    }

    @Test
    void batchWithNoValidReadingIsAProblem() {
        given().contentType("application/json")
                .body("[" + reading(station(), T0, null, "\"wind_speed\":-1") + ","
                        + reading("bad id", T0, null, "\"wind_speed\":1") + "]")
                .post("/sensors/readings")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("detail", containsString("None of the 2 readings is valid"))
                .body("errors.field", hasItem("$[0].wind_speed"))
                .body("errors.field", hasItem("$[1].stationId"));
    }

    @Test
    void readingFromAStationClockFarAheadIsRejectedAndItsBatchMatesAreNot() {
        String station = station();
        Instant tomorrow = Instant.now().plus(java.time.Duration.ofDays(1));
        given().contentType("application/json")
                .body("[" + reading(station, tomorrow, null, "\"humidity\":50") + ","
                        + reading(station, T0, null, "\"humidity\":51") + "]")
                .post("/sensors/readings")
                .then()
                .statusCode(202)
                .body("accepted", org.hamcrest.Matchers.equalTo(1))
                .body("rejections[0].index", org.hamcrest.Matchers.equalTo(0))
                .body("rejections[0].errors[0].field", org.hamcrest.Matchers.equalTo("$[0].timestamp"))
                .body("rejections[0].errors[0].reason", containsString("in the future"));
    }

    @Test
    void readingWithoutAnyMetricIsRejected() {
        given().contentType("application/json")
                .body(reading(station(), T0, 4L, "\"sequence2\":1").replace(",\"sequence2\":1", ""))
                .post("/sensors/readings")
                .then()
                .statusCode(422)
                .body("detail", containsString("no metric given"));
    }

    @Test
    void explicitNonJsonContentTypeIsUnsupported() {
        given().contentType("text/csv")
                .body("Temperature,Humidity\n25,60\n")
                .post("/sensors/readings")
                .then()
                .statusCode(415)
                .contentType("application/problem+json");
    }

    @Test
    void stationWaitingForAMissingNumberMovesOnAfterTheGapTimeoutWithoutFurtherReadings() {
        String station = station();
        given().contentType("application/json")
                .body("[" + reading(station, T0.plusSeconds(10), 1L, "\"pressure\":1010") + ","
                        + reading(station, T0.plusSeconds(20), 2L, "\"pressure\":1011") + ","
                        + reading(station, T0.plusSeconds(40), 4L, "\"pressure\":1014") + "]")
                .post("/sensors/readings")
                .then()
                .statusCode(202);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonPath latest = latest(station);
            assertThat(latest.getLong("lastSequence")).isEqualTo(2);
            assertThat(latest.getInt("pendingReadings")).isEqualTo(1);
        });
        // Nothing more is sent: only the sweeper can let the 3 s gap timeout (test profile) pass.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonPath latest = latest(station);
            assertThat(latest.getLong("lastSequence")).isEqualTo(4);
            assertThat(latest.getInt("pendingReadings")).isZero();
            assertThat(latest.getDouble("metrics.pressure.value")).isEqualTo(1014.0);
        });
    }

    @Test
    void numberedReadingsOutOfOrderAndDuplicatedAreStoredOnceAndQueryableByTime() {
        String station = station();
        List<String> traffic = new ArrayList<>();
        for (long n = 1; n <= 60; n++) {
            traffic.add(reading(station, T0.plusSeconds(n * 10), n, "\"temperature\":" + (20 + n / 10.0)));
        }
        traffic.addAll(traffic.subList(0, 15));
        Collections.shuffle(traffic, new Random(7));
        for (int from = 0; from < traffic.size(); from += 25) {
            given().contentType("application/json")
                    .body("[" + String.join(",", traffic.subList(from, Math.min(from + 25, traffic.size()))) + "]")
                    .post("/sensors/readings")
                    .then()
                    .statusCode(202);
        }

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonPath latest = latest(station);
            assertThat(latest.getLong("lastSequence")).isEqualTo(60);
            assertThat(latest.getLong("readings")).isEqualTo(60);
            assertThat(latest.getDouble("metrics.temperature.value")).isEqualTo(26.0);
            assertThat(latest.getString("metrics.temperature.timestamp"))
                    .isEqualTo(T0.plusSeconds(600).toString());
        });
        List<Integer> sequences = given().get(
                        "/stations/{id}/readings?from={from}&to={to}&metric=temperature",
                        station,
                        T0.toString(),
                        T0.plusSeconds(301).toString())
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("sequence", Integer.class);
        assertThat(sequences)
                .containsExactlyElementsOf(
                        java.util.stream.IntStream.rangeClosed(1, 30).boxed().toList());
    }

    @Test
    void stationIsRegisteredThenUpdatedAndListedByDistrict() {
        String station = station();
        String district = "district-" + UUID.randomUUID();
        String registration = """
                {"id":"%s","name":"Old Town","latitude":48.137,"longitude":11.575,"district":"%s",\
                "metadata":{"mounting":"roof"}}""".formatted(station, district);

        given().contentType("application/json")
                .body(registration)
                .post("/stations")
                .then()
                .statusCode(201)
                .body("name", equalTo("Old Town"))
                .body("autoRegistered", equalTo(false));
        given().contentType("application/json")
                .body(registration.replace("Old Town", "Old Town North"))
                .post("/stations")
                .then()
                .statusCode(200);

        given().get("/stations?district={d}", district)
                .then()
                .statusCode(200)
                .body("id", equalTo(List.of(station)))
                .body("[0].name", equalTo("Old Town North"))
                .body("[0].metadata.mounting", equalTo("roof"));
    }

    @Test
    void invalidRegistrationNamesTheField() {
        given().contentType("application/json")
                .body("{\"id\":\"st-x\",\"name\":\"X\",\"latitude\":95,\"longitude\":1}")
                .post("/stations")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("$.latitude"));
    }

    @Test
    void unknownStationIsNotFound() {
        given().get("/stations/{id}/latest", station()).then().statusCode(404).contentType("application/problem+json");
        given().get("/stations/{id}", station()).then().statusCode(404);
    }
}
