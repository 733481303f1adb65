package io.skywatch.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.skywatch.embedded.Ports;
import io.skywatch.testing.LiveSocketClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Two packaged gateways sharing one broker and one Mongo: a WebSocket client on either sees every alert,
 * whichever replica's consumer raised it (the stations are spread over both replicas' partitions).
 */
class LiveAcrossReplicasIT {

    private static final int STATIONS = 12;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void clientsOnEitherReplicaSeeEveryAlertOnce() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (Cluster cluster = Cluster.forTest("live-replicas", "live-" + run)) {
            cluster.startInfra(START_TIMEOUT);
            int portA = Ports.freePort();
            int portB = Ports.freePort();
            ChildProcess a = cluster.startGateway("live-a", portA);
            ChildProcess b = cluster.startGateway("live-b", portB);
            await().atMost(START_TIMEOUT)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> cluster.gatewayReady(a, portA) && cluster.gatewayReady(b, portB));

            List<String> stations = IntStream.range(0, STATIONS)
                    .mapToObj(i -> "replica-" + run + "-" + i)
                    .toList();
            String query = "stations=" + String.join(",", stations);
            try (LiveSocketClient onA = LiveSocketClient.connect(uri(portA), query, null);
                    LiveSocketClient onB = LiveSocketClient.connect(uri(portB), query, null)) {
                onA.await(message -> message.type().equals("alerts-open"), WAIT);
                onB.await(message -> message.type().equals("alerts-open"), WAIT);

                Instant at = Instant.now().minusSeconds(60);
                for (int i = 0; i < STATIONS; i++) {
                    // Half the readings through each replica: where a reading enters does not matter either.
                    int port = i % 2 == 0 ? portA : portB;
                    post(port, "{\"stationId\":\"%s\",\"timestamp\":\"%s\",\"so2\":60}".formatted(stations.get(i), at));
                }

                for (LiveSocketClient client : List.of(onA, onB)) {
                    await().atMost(WAIT).until(() -> raisedStations(client).size() == STATIONS);
                    assertThat(raisedStations(client)).containsExactlyInAnyOrderElementsOf(stations);
                    assertThat(client.ofType("alert")).as("each alert once").hasSize(STATIONS);
                }
            }
            assertThat(a.isAlive() && b.isAlive()).isTrue();
        }
    }

    private static Set<String> raisedStations(LiveSocketClient client) {
        return client.ofType("alert").stream()
                .filter(message -> message.json().path("transition").asText().equals("RAISED"))
                .map(message -> message.json().at("/alert/stationId").asText())
                .collect(Collectors.toSet());
    }

    private static URI uri(int port) {
        return URI.create("http://127.0.0.1:" + port + "/ws/live");
    }

    private void post(int port, String body) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/sensors/readings"))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(20))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }
}
