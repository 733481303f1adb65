package io.skywatch.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.skywatch.embedded.Ports;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The packaged gateway's readiness follows Kafka: it goes down when the broker stops (the messaging channels see
 * the lost connection at once; the pipelines check within {@code skywatch.health.unanswered-after}, 10 s here, plus
 * one lag sample), names the failing checks, and comes back once the broker is back, after which ingest answers 202
 * again.
 */
class ReadinessIT {

    private static final Logger LOG = Logger.getLogger(ReadinessIT.class);
    private static final Duration UNANSWERED_AFTER = Duration.ofSeconds(10);
    private static final Duration SAMPLE_INTERVAL = Duration.ofSeconds(1);
    /** Detection plus one sample, plus a probe's own timeout and scheduling slack on a busy 2-core machine. */
    private static final Duration DOWN_DEADLINE =
            UNANSWERED_AFTER.plus(SAMPLE_INTERVAL).plusSeconds(10);

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void readinessGoesDownWhenKafkaStopsAndUpWhenItReturns() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (Cluster cluster = Cluster.forTest("readiness", "readiness-" + run)) {
            cluster.startInfra(START_TIMEOUT);
            int port = Ports.freePort();
            ChildProcess gateway = cluster.startGateway(
                    "readiness",
                    port,
                    java.util.Map.of(
                            "SKYWATCH_HEALTH_UNANSWERED_AFTER", UNANSWERED_AFTER.toSeconds() + "s",
                            "SKYWATCH_HEALTH_LAG_SAMPLE_INTERVAL", SAMPLE_INTERVAL.toSeconds() + "s"));
            await().atMost(START_TIMEOUT)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> cluster.gatewayReady(gateway, port));
            assertThat(postLaunch(port, "ready-" + run + "-a")).isEqualTo(202);

            long stoppedAt = System.nanoTime();
            cluster.kafka.stop(30);
            await().atMost(DOWN_DEADLINE)
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> cluster.get(cluster.managementPort(port), "/q/health/ready") == 503);
            Duration down = Duration.ofNanos(System.nanoTime() - stoppedAt);
            // The messaging channels report the lost connection themselves, usually first; the pipelines check,
            // whose timing is configured, must follow within its own bound.
            await().atMost(DOWN_DEADLINE.minus(down))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> readiness(cluster.managementPort(port)).contains("not answering"));
            Duration pipelinesDown = Duration.ofNanos(System.nanoTime() - stoppedAt);
            String body = readiness(cluster.managementPort(port));
            LOG.infof(
                    "Readiness went down %d ms after Kafka was stopped; the pipelines check after %d ms: %s",
                    down.toMillis(), pipelinesDown.toMillis(), body);
            assertThat(body).contains("\"status\": \"DOWN\"").contains("Pipelines progress");
            assertThat(gateway.isAlive())
                    .as("the gateway stays up; only its readiness changes")
                    .isTrue();

            long restartedAt = System.nanoTime();
            ChildProcess restarted = cluster.startKafka();
            await().atMost(START_TIMEOUT)
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> Cluster.infraReady(restarted) && cluster.gatewayReady(gateway, port));
            LOG.infof(
                    "Readiness came back %d ms after Kafka was restarted",
                    Duration.ofNanos(System.nanoTime() - restartedAt).toMillis());
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> postLaunch(port, "ready-" + run + "-b") == 202);
        }
    }

    private String readiness(int managementPort) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready"))
                .timeout(Duration.ofSeconds(10))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    private int postLaunch(int port, String channel) {
        String body = "{\"metadata\":{\"channel\":\"" + channel
                + "\",\"messageNumber\":1,\"messageTime\":\"2026-11-25T10:00:00Z\",\"messageType\":\"RocketLaunched\"},"
                + "\"message\":{\"type\":\"Falcon-9\",\"launchSpeed\":500,\"mission\":\"ARTEMIS\"}}";
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/messages"))
                    .timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
