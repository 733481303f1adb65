package io.skywatch.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skywatch.embedded.Ports;
import io.skywatch.testing.LiveSocketClient;
import io.skywatch.testing.RocketTrack;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The packaged gateway as a black box, as it is deployed: {@code quarkus-run.jar} in the JVM build, the native
 * executable with {@code -Pnative} (see {@link Cluster#forTest}), run as its own process against an embedded broker
 * and Mongo wire server in processes of their own. Rockets end to end (reordered, duplicated messages → the
 * expected state over {@code GET /rockets}), a breaching reading → an alert over {@code /ws/live}, health on the
 * management port, Prometheus metrics, and no embedded infrastructure in the artifact.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PackagedGatewayIT {

    private static final Logger LOG = Logger.getLogger(PackagedGatewayIT.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private Cluster cluster;
    private ChildProcess gateway;
    private int port;
    private int management;

    @BeforeAll
    void startGateway() {
        cluster = Cluster.forTest("packaged", "packaged-" + run);
        cluster.startInfra(START_TIMEOUT);
        port = Ports.freePort();
        gateway = cluster.startGateway("packaged", port);
        management = cluster.managementPort(port);
        await().atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> cluster.gatewayReady(gateway, port));
        LOG.infof(
                "%s gateway %s ready %.2f s after it was started",
                cluster.nativeGateway() ? "Native" : "JVM",
                cluster.gatewayArtifact().getFileName(),
                gateway.ageSeconds());
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            if (gateway != null && gateway.isAlive()) {
                LOG.infof("Gateway log tail:\n%s", gateway.tail(15));
            }
            cluster.close();
        }
    }

    @Test
    void reorderedAndDuplicatedRocketMessagesEndInTheExpectedState() throws Exception {
        Traffic traffic = Traffic.generate(8, 40, 0.1, 8, new Random(run.hashCode()));
        List<RocketTrack> tracks = traffic.tracks;
        assertThat(traffic.duplicates).isPositive();
        // Four clients in parallel: a channel's messages also overtake each other between the clients.
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (Traffic.Send send : traffic.sends) {
                answers.add(clients.submit(() -> post("/messages", send.body()).statusCode()));
            }
            for (Future<Integer> answer : answers) {
                assertThat(answer.get()).as("POST /messages").isEqualTo(202);
            }
        } finally {
            clients.shutdownNow();
        }

        await().atMost(SETTLE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<String, JsonNode> listed = new HashMap<>();
            for (JsonNode rocket : rocketsList()) {
                listed.put(rocket.path("channel").asText(), rocket);
            }
            List<String> wrong = new ArrayList<>();
            for (RocketTrack track : tracks) {
                JsonNode rocket = listed.get(track.channel);
                String diff = rocket == null ? "not listed by GET /rockets" : track.differencesFrom(rocket);
                if (!diff.isEmpty()) {
                    wrong.add(track.channel + ": " + diff);
                }
            }
            assertThat(wrong).as("rockets not in their expected state").isEmpty();
        });
        // One rocket by its own resource, and its event log: every distinct message once, in number order.
        RocketTrack first = tracks.get(0);
        JsonNode one = JSON.readTree(get(port, "/rockets/" + first.channel).body());
        assertThat(first.differencesFrom(one)).isEmpty();
        JsonNode events = JSON.readTree(get(port, "/rockets/" + first.channel + "/events?after=0&limit=1000")
                        .body())
                .path("events");
        List<Long> numbers = new ArrayList<>();
        events.forEach(e -> numbers.add(e.path("messageNumber").asLong()));
        assertThat(numbers).hasSize(first.length()).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void breachingReadingIsPushedAsAnAlertOverTheWebSocket() throws Exception {
        String station = "native-" + run;
        URI uri = URI.create("http://127.0.0.1:" + port + "/ws/live");
        try (LiveSocketClient client = LiveSocketClient.connect(uri, "streams=alerts&stations=" + station, null)) {
            client.await(message -> message.type().equals("alerts-open"), SETTLE);
            Instant at = Instant.now().minusSeconds(60);
            // SO2 60 µg/m³: above the default WARNING rule (40), below CRITICAL (125).
            HttpResponse<String> raise = post(
                    "/sensors/readings",
                    "{\"stationId\":\"%s\",\"timestamp\":\"%s\",\"so2\":60}".formatted(station, at));
            assertThat(raise.statusCode()).as(raise.body()).isEqualTo(202);
            LiveSocketClient.Received raised = client.await(
                    message -> message.type().equals("alert")
                            && message.json().path("transition").asText().equals("RAISED"),
                    SETTLE);
            JsonNode alert = raised.json().path("alert");
            assertThat(alert.path("stationId").asText()).isEqualTo(station);
            assertThat(alert.path("metric").asText()).isEqualTo("so2");
            assertThat(alert.path("severity").asText()).isEqualTo("WARNING");
            assertThat(alert.path("kind").asText()).isEqualTo("THRESHOLD");
            assertThat(alert.path("state").asText()).isEqualTo("OPEN");
            assertThat(alert.path("peakValue").asDouble()).isEqualTo(60.0);

            // Below clearBelow (10 % under 40): the alert clears, and the client is told.
            HttpResponse<String> clear = post(
                    "/sensors/readings",
                    "{\"stationId\":\"%s\",\"timestamp\":\"%s\",\"so2\":5}".formatted(station, at.plusSeconds(10)));
            assertThat(clear.statusCode()).as(clear.body()).isEqualTo(202);
            client.await(
                    message -> message.type().equals("alert")
                            && message.json().path("transition").asText().equals("CLEARED")
                            && message.json().at("/alert/stationId").asText().equals(station),
                    SETTLE);
        }
        JsonNode stored = JSON.readTree(get(port, "/alerts?station=" + station).body());
        assertThat(stored.isArray() ? stored : stored.path("alerts"))
                .as("GET /alerts?station=" + station)
                .anySatisfy(a -> assertThat(a.path("state").asText()).isEqualTo("CLEARED"));
    }

    @Test
    void healthIsServedOnTheManagementPortOnly() throws Exception {
        for (String check : List.of("started", "live", "ready")) {
            HttpResponse<String> health = get(management, "/q/health/" + check);
            assertThat(health.statusCode()).as(check).isEqualTo(200);
            assertThat(JSON.readTree(health.body()).path("status").asText())
                    .as(check)
                    .isEqualTo("UP");
        }
        JsonNode ready = JSON.readTree(get(management, "/q/health/ready").body());
        List<String> checks = new ArrayList<>();
        ready.path("checks").forEach(c -> checks.add(c.path("name").asText()));
        assertThat(checks).contains("Pipelines progress");
        assertThat(get(port, "/q/health/ready").statusCode())
                .as("no health on the public port")
                .isEqualTo(404);
    }

    @Test
    void prometheusMetricsCountIngestedEvents() throws Exception {
        String channel = "metrics-" + run;
        String body =
                "{\"metadata\":{\"channel\":\"%s\",\"messageNumber\":1,\"messageTime\":\"2026-11-25T10:00:00Z\",\"messageType\":\"RocketLaunched\"},\"message\":{\"type\":\"Falcon-9\",\"launchSpeed\":500,\"mission\":\"ARTEMIS\"}}"
                        .formatted(channel);
        assertThat(post("/messages", body).statusCode()).isEqualTo(202);
        assertThat(post("/messages", "{\"metadata\":{}}").statusCode()).isEqualTo(422);
        HttpResponse<String> metrics = get(management, "/q/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        // No Accept header: Micrometer's Prometheus registry answers in the OpenMetrics text format.
        assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("application/openmetrics-text");
        String text = metrics.body();
        assertThat(counter(text, "skywatch_ingest_events_total", "outcome=\"accepted\"", "stream=\"rockets\""))
                .isGreaterThanOrEqualTo(1.0);
        assertThat(counter(text, "skywatch_ingest_events_total", "outcome=\"rejected\"", "stream=\"rockets\""))
                .isGreaterThanOrEqualTo(1.0);
        assertThat(text)
                .contains("http_server_requests_seconds_count")
                .contains("skywatch_pipeline_healthy")
                .contains("skywatch_kafka_produce_seconds_count{");
        assertThat(get(port, "/q/metrics").statusCode())
                .as("no metrics on the public port")
                .isEqualTo(404);
    }

    @Test
    void theArtifactHoldsNoEmbeddedBrokerOrMongoServer() throws IOException {
        Path artifact = cluster.gatewayArtifact();
        if (cluster.nativeGateway()) {
            // A native image keeps the name of every class it contains; our own must be found, the servers not.
            assertThat(contains(artifact, "io.skywatch.rockets.RocketSequencer"))
                    .as("the scan finds the gateway's own classes")
                    .isTrue();
            for (String server : List.of(
                    "de.bwaldvogel.mongo.MongoServer", "kafka.server.KafkaRaftServer", "io.skywatch.embedded")) {
                assertThat(contains(artifact, server)).as(server).isFalse();
            }
        } else {
            List<String> lib;
            try (Stream<Path> jars = Files.walk(artifact.getParent().resolve("lib"))) {
                lib = jars.map(p -> p.getFileName().toString())
                        .filter(n -> n.endsWith(".jar"))
                        .toList();
            }
            assertThat(lib).anyMatch(n -> n.startsWith("org.apache.kafka.kafka-clients"));
            assertThat(lib)
                    .noneMatch(n -> n.startsWith("org.apache.kafka.kafka_2.13") || n.contains("mongo-java-server"));
        }
    }

    private static boolean contains(Path file, String text) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.ISO_8859_1);
        byte[] buffer = new byte[1 << 20];
        int kept = 0;
        try (InputStream in = Files.newInputStream(file)) {
            int read;
            while ((read = in.read(buffer, kept, buffer.length - kept)) > 0) {
                int end = kept + read;
                if (indexOf(buffer, end, needle) >= 0) {
                    return true;
                }
                // Keep the tail so a match across two reads is found.
                kept = Math.min(needle.length - 1, end);
                System.arraycopy(buffer, end - kept, buffer, 0, kept);
            }
        }
        return false;
    }

    private static int indexOf(byte[] haystack, int length, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The value of a Prometheus sample of {@code name} whose labels include every one of {@code labels}. */
    private static double counter(String exposition, String name, String... labels) {
        return exposition
                .lines()
                .filter(line -> line.startsWith(name + "{"))
                .filter(line -> Stream.of(labels).allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private JsonNode rocketsList() throws IOException, InterruptedException {
        JsonNode body = JSON.readTree(get(port, "/rockets?limit=10000").body());
        return body.isArray() ? body : body.path("rockets");
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(20))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(int toPort, String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + toPort + path))
                        .timeout(Duration.ofSeconds(20))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
