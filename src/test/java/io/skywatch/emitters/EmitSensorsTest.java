package io.skywatch.emitters;

import static io.skywatch.testing.Auth.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.skywatch.testing.Auth;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The station simulator and the CSV replay against the gateway. */
@QuarkusTest
class EmitSensorsTest {

    private static final Path SAMPLE = Path.of("emitters/air-quality-sample.csv");

    @TestHTTPResource("/")
    URI gateway;

    private static String prefix(String kind) {
        return kind + "-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    }

    @Test
    void csvReplaySpreadsTheRowsOverStationsWithTheirValuesConverted() throws Exception {
        String prefix = prefix("csv");
        int stations = 5;
        Progress.Snapshot totals = new CsvReplayEmitter(
                        new CsvReplayEmitter.Settings(
                                gateway,
                                SAMPLE,
                                stations,
                                prefix,
                                Duration.ZERO,
                                false,
                                0,
                                null,
                                4,
                                Duration.ofSeconds(60),
                                Auth.adminKey()),
                        Progress.silent("csv"),
                        Clock.systemUTC())
                .run();
        assertThat(totals.ok()).isTrue();
        assertThat(totals.acknowledged()).isEqualTo(200);

        List<String> lines = Files.readAllLines(SAMPLE);
        for (int station = 0; station < stations; station++) {
            String id = CsvReplayEmitter.stationId(prefix, station);
            // Rows 0..199 go round the stations, so each station's last reading is one of the last five rows.
            String[] lastRow = lines.get(lines.size() - stations + station).split(",");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonPath latest = given().get("/stations/{id}/latest", id)
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath();
                assertThat(latest.getLong("readings")).isEqualTo(40);
                assertThat(latest.getDouble("metrics.temperature.value")).isEqualTo(Double.parseDouble(lastRow[0]));
                assertThat(latest.getDouble("metrics.pm2_5.value")).isEqualTo(Double.parseDouble(lastRow[2]));
                // NO2 in the file is ppb, the gateway's no2 is µg/m³.
                assertThat(latest.getDouble("metrics.no2.value"))
                        .isEqualTo(Math.round(Double.parseDouble(lastRow[4]) * 1.88 * 100) / 100.0);
                assertThat(latest.getDouble("metrics.population_density.value"))
                        .isEqualTo(Double.parseDouble(lastRow[8]));
            });
        }
    }

    @Test
    void replayOfValuesTheGatewayRefusesEndsWithExitCodeOne() throws Exception {
        Path file = Files.createTempFile("bad-air", ".csv");
        Files.writeString(file, "Temperature,Humidity\n25,50\n25,130\n");
        int exit = EmitCli.commandLine()
                .execute(
                        "csv",
                        "--url",
                        gateway.toString(),
                        "--api-key",
                        Auth.adminKey(),
                        "--file",
                        file.toString(),
                        "--prefix",
                        prefix("bad"),
                        "--interval",
                        "0",
                        "--progress-every",
                        "0");
        assertThat(exit)
                .as("humidity 130 % is refused, which the emitter did not intend")
                .isEqualTo(1);
    }

    @Test
    void simulatedStationsAreAllStoredAndInjectedBreachesRaiseAlerts() throws Exception {
        String prefix = prefix("sim");
        int stations = 6;
        StationsEmitter emitter = new StationsEmitter(
                new StationsEmitter.Settings(
                        gateway,
                        stations,
                        prefix,
                        0,
                        30,
                        600,
                        null,
                        9,
                        new Injection(0, 0.02, 3),
                        4,
                        true,
                        Duration.ofSeconds(60),
                        Auth.adminKey()),
                Progress.silent("stations"));
        Progress.Snapshot totals = emitter.run();
        assertThat(totals.ok()).isTrue();
        assertThat(totals.acknowledged()).isEqualTo(600);
        assertThat(emitter.breachReadings()).isPositive();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            long raised = 0;
            for (int station = 0; station < stations; station++) {
                String id = prefix + String.format("%03d", station + 1);
                assertThat(given().get("/stations/{id}/latest", id)
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath()
                                .getLong("readings"))
                        .isEqualTo(100);
                raised += given().get("/alerts?station={id}", id)
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("findAll { it.kind == 'THRESHOLD' }")
                        .size();
            }
            assertThat(raised).as("threshold alerts of the simulated stations").isPositive();
        });
    }
}
