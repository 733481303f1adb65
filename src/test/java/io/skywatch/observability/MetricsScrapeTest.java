package io.skywatch.observability;

import static io.skywatch.testing.Auth.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Drives traffic through every pipeline, then scrapes {@code /q/metrics}: the series an operator runs on exist with
 * plausible values, the exposition passes {@code promtool check metrics}, the alerting rules pass
 * {@code promtool check rules} and their unit tests, and every series the rules and the Grafana dashboard query is
 * one the gateway exposes. {@code promtool} is Debian's {@code prometheus} package ({@code .ci/run} installs it).
 */
@QuarkusTest
class MetricsScrapeTest {

    private static final Path RULES = Path.of("observability/prometheus/skywatch-rules.yml");
    private static final Path RULE_TESTS = Path.of("observability/prometheus/skywatch-rules.test.yml");
    private static final Path DASHBOARD = Path.of("observability/grafana/skywatch-dashboard.json");
    private static final int MESSAGES = 20;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "/health", management = true)
    URL health;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void keySeriesExistWithPlausibleValuesAndPassPromtool() throws Exception {
        String channel = "metrics-" + run;
        String station = "metrics-" + run;
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (int n = 1; n <= MESSAGES; n++) {
            given().contentType("application/json")
                    .body(
                            n == 1
                                    ? Map.of(
                                            "metadata",
                                            Map.of(
                                                    "channel",
                                                    channel,
                                                    "messageNumber",
                                                    1,
                                                    "messageTime",
                                                    now.toString(),
                                                    "messageType",
                                                    "RocketLaunched"),
                                            "message",
                                            Map.of("type", "Falcon-9", "launchSpeed", 500, "mission", "ARTEMIS"))
                                    : Map.of(
                                            "metadata",
                                            Map.of(
                                                    "channel",
                                                    channel,
                                                    "messageNumber",
                                                    n,
                                                    "messageTime",
                                                    now.plusSeconds(n).toString(),
                                                    "messageType",
                                                    "RocketSpeedIncreased"),
                                            "message",
                                            Map.of("by", 500)))
                    .post("/messages")
                    .then()
                    .statusCode(202)
                    .header(RequestIds.HEADER, org.hamcrest.Matchers.matchesPattern("[0-9a-f-]{36}"));
        }
        given().contentType("application/json")
                .header(RequestIds.HEADER, "emitter-42.req:7")
                .body("{\"metadata\":{}}")
                .post("/messages")
                .then()
                .statusCode(422)
                .header(RequestIds.HEADER, "emitter-42.req:7");
        given().contentType("application/json")
                .body(List.of(
                        Map.of(
                                "stationId",
                                station,
                                "timestamp",
                                now.minusSeconds(2).toString(),
                                "pm2_5",
                                200.0),
                        Map.of(
                                "stationId",
                                station,
                                "timestamp",
                                now.minusSeconds(1).toString(),
                                "pm2_5",
                                5.0)))
                .post("/sensors/readings")
                .then()
                .statusCode(202);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            given().get("/rockets/" + channel).then().statusCode(200).body("lastMessageNumber", equalTo(MESSAGES));
            given().get("/alerts?station=" + station + "&state=CLEARED")
                    .then()
                    .statusCode(200)
                    .body("size()", equalTo(2));
        });

        // The lag sampler runs every second in tests: wait until it has seen the rockets partitions.
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(scrape()).contains("skywatch_consumer_lag_records{"));
        // The store rate needs 5 s of samples around the commit of the rockets stored above.
        awaitPositiveRocketsGauge("skywatch_pipeline_store_rate_records_per_second", Duration.ofSeconds(30));
        // Never below the store rate, so positive from the same sample on (a later one may have moved both).
        awaitPositiveRocketsGauge("skywatch_pipeline_catch_up_rate_records_per_second", Duration.ofSeconds(5));
        String exposition = scrape();
        Map<String, Double> series = PrometheusText.parse(exposition);

        assertThat(PrometheusText.value(
                        series, "skywatch_ingest_events_total", "stream=\"rockets\"", "outcome=\"accepted\""))
                .isGreaterThanOrEqualTo(MESSAGES);
        assertThat(PrometheusText.value(
                        series, "skywatch_ingest_events_total", "stream=\"rockets\"", "outcome=\"rejected\""))
                .isGreaterThanOrEqualTo(1);
        double produced = PrometheusText.value(series, "skywatch_kafka_produce_seconds_count", "stream=\"rockets\"");
        assertThat(produced).isGreaterThanOrEqualTo(MESSAGES);
        assertThat(PrometheusText.value(series, "skywatch_kafka_produce_seconds_sum", "stream=\"rockets\"") / produced)
                .as("mean produce latency in seconds")
                .isBetween(0.0, 15.0);
        assertThat(PrometheusText.value(
                        series, "skywatch_kafka_produce_seconds_bucket", "stream=\"rockets\"", "le=\"+Inf\""))
                .isEqualTo(produced);
        double stored = PrometheusText.value(series, "skywatch_pipeline_lag_seconds_count", "stream=\"rockets\"");
        assertThat(stored).isGreaterThanOrEqualTo(MESSAGES);
        assertThat(PrometheusText.value(series, "skywatch_pipeline_lag_seconds_sum", "stream=\"rockets\"") / stored)
                .as("mean accepted → stored lag in seconds")
                .isBetween(0.0, 30.0);
        assertThat(PrometheusText.value(series, "skywatch_store_batch_size_records_count", "stream=\"sensors\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(PrometheusText.value(series, "skywatch_store_batch_seconds_count", "stream=\"sensors\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(PrometheusText.value(
                        series, "skywatch_consumer_lag_records", "stream=\"rockets\"", "topic=\"rockets\""))
                .isGreaterThanOrEqualTo(0);
        assertThat(PrometheusText.value(series, "skywatch_pipeline_healthy", "stream=\"rockets\""))
                .isEqualTo(1.0);
        assertThat(PrometheusText.value(
                        series,
                        "http_server_requests_seconds_bucket",
                        "uri=\"/messages\"",
                        "status=\"202\"",
                        "le=\"0.025\""))
                .isGreaterThanOrEqualTo(0);
        assertThat(PrometheusText.value(
                        series, "http_server_requests_seconds_count", "uri=\"/messages\"", "status=\"202\""))
                .isGreaterThanOrEqualTo(MESSAGES);
        assertThat(PrometheusText.value(series, "mongodb_driver_commands_seconds_count", "command=\"insert\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(PrometheusText.value(
                        series, "skywatch_alerts_total", "transition=\"raised\"", "severity=\"critical\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(PrometheusText.value(
                        series, "skywatch_alerts_total", "transition=\"cleared\"", "severity=\"critical\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(series.keySet())
                .anyMatch(name -> name.startsWith("skywatch_live_sessions"))
                .anyMatch(name -> name.startsWith("skywatch_live_dropped_total"))
                .anyMatch(name -> name.startsWith("skywatch_sequencer_duplicates_total"))
                .anyMatch(name -> name.startsWith("skywatch_sequencer_pending"))
                .anyMatch(name -> name.startsWith("skywatch_sequencer_gaps_declared_total"))
                .anyMatch(name -> name.startsWith("skywatch_dlq_records_total"));
        assertThat(series.keySet())
                .as("no channel or station id becomes a tag")
                .noneMatch(name -> name.contains(channel) || name.contains(station));

        Path scraped = Files.createDirectories(Path.of("target")).resolve("metrics-scrape.txt");
        Files.writeString(scraped, exposition);
        // Exit 1 is a parse failure (a Prometheus server would drop the whole scrape); exit 3 is lint advice. Lint
        // is required clean for Skywatch's own families, except "no help text" on counters: the exposition puts a
        // counter's HELP on its base name (skywatch_x, samples skywatch_x_total), which this promtool (2.42) does
        // not pair up. Third-party families (Kafka client, JVM, Netty) are theirs to lint.
        Promtool.Result check = Promtool.run(List.of("check", "metrics"), scraped);
        assertThat(check.exitCode())
                .as("promtool check metrics:\n%s", check.output())
                .isIn(0, 3);
        assertThat(check.output().lines())
                .as("promtool lint of skywatch_* families")
                .filteredOn(line -> line.startsWith("skywatch_"))
                .allMatch(line -> line.matches("skywatch_[a-z_]+_total no help text"), "only counter HELP pairing");

        Promtool.Result rules = Promtool.run(List.of("check", "rules", RULES.toString()), null);
        assertThat(rules.exitCode())
                .as("promtool check rules:\n%s", rules.output())
                .isZero();
        Promtool.Result ruleTests = Promtool.run(List.of("test", "rules", RULE_TESTS.toString()), null);
        assertThat(ruleTests.exitCode())
                .as("promtool test rules:\n%s", ruleTests.output())
                .isZero();

        Set<String> exposed = PrometheusText.familyNames(series.keySet());
        for (Path queries : List.of(RULES, DASHBOARD)) {
            // A name is either a series (in expressions) or a family (in descriptions, e.g. skywatch_x_seconds).
            assertThat(referencedSeries(Files.readString(queries)))
                    .as("series %s queries that /q/metrics exposes", queries)
                    .isNotEmpty()
                    .allSatisfy(name -> assertThat(exposed)
                            .as("exposed series for %s", name)
                            .anyMatch(family -> family.equals(name) || family.startsWith(name + "_")));
        }
    }

    @Test
    void healthHasStartupLivenessAndPipelineReadiness() {
        given().get(health + "/started")
                .then()
                .statusCode(200)
                .body("checks.name", org.hamcrest.Matchers.hasItem("Start-up steps"));
        given().get(health + "/live").then().statusCode(200);
        given().get(health + "/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'Pipelines progress' }.status", equalTo("UP"))
                .body(
                        "checks.find { it.name == 'Pipelines progress' }.data",
                        org.hamcrest.Matchers.hasKey("rockets.lag"));
    }

    private void awaitPositiveRocketsGauge(String name, Duration atMost) {
        await().atMost(atMost)
                .untilAsserted(() -> assertThat(
                                PrometheusText.value(PrometheusText.parse(scrape()), name, "stream=\"rockets\""))
                        .as(name)
                        .isPositive());
    }

    private String scrape() {
        return given().get(metrics).then().statusCode(200).extract().asString();
    }

    /** Metric names used in PromQL expressions, other than those from Prometheus or kube-state-metrics. */
    private static Set<String> referencedSeries(String text) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = Pattern.compile("\\b((?:skywatch|http_server|mongodb_driver|jvm|process)_[a-z0-9_]+)\\b")
                .matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /** Debian's promtool, run with a bounded time. */
    static final class Promtool {

        record Result(int exitCode, String output) {}

        static Result run(List<String> arguments, Path stdin) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>();
            command.add(System.getProperty("skywatch.promtool", "/usr/bin/promtool"));
            command.addAll(arguments);
            assertThat(Path.of(command.get(0)))
                    .as("promtool: run .ci/run, or apt-get install prometheus")
                    .isExecutable();
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            if (stdin != null) {
                builder.redirectInput(stdin.toFile());
            }
            Process process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("promtool did not finish in 60 s: " + command);
            }
            return new Result(
                    process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
