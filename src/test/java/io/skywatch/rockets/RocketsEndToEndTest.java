package io.skywatch.rockets;

import static io.skywatch.testing.Auth.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import io.quarkus.logging.Log;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.skywatch.testing.Auth;
import io.skywatch.testing.EmbeddedInfraResource;
import io.skywatch.testing.RocketTrack;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The Rockets stream end to end over real HTTP, a real Kafka broker and a Mongo wire server: duplicated,
 * shuffled messages from concurrent clients end as exactly the state an in-order replay gives.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedInfraResource.class)
class RocketsEndToEndTest {

    private static final int CHANNELS = 20;
    private static final int MESSAGES_PER_CHANNEL = 500;
    private static final int SHUFFLE_WINDOW = 30;
    private static final double DUPLICATE_RATE = 0.10;
    private static final int CLIENTS = 8;

    @TestHTTPResource("/messages")
    URI messages;

    @Inject
    MongoClient mongo;

    @ConfigProperty(name = "quarkus.mongodb.database")
    String database;

    @Test
    void duplicatedShuffledConcurrentMessagesEndInTheInOrderState() throws Exception {
        Random random = new Random(42);
        List<RocketTrack> rockets = new ArrayList<>();
        for (int i = 0; i < CHANNELS; i++) {
            rockets.add(new RocketTrack(UUID.randomUUID().toString(), MESSAGES_PER_CHANNEL, random));
        }
        List<List<String>> perChannel = new ArrayList<>();
        for (RocketTrack rocket : rockets) {
            List<String> channelTraffic = new ArrayList<>(List.of(rocket.messages));
            for (String message : rocket.messages) {
                if (random.nextDouble() < DUPLICATE_RATE) {
                    channelTraffic.add(random.nextInt(channelTraffic.size()), message);
                }
            }
            for (int from = 0; from < channelTraffic.size(); from += SHUFFLE_WINDOW) {
                Collections.shuffle(
                        channelTraffic.subList(from, Math.min(from + SHUFFLE_WINDOW, channelTraffic.size())), random);
            }
            perChannel.add(channelTraffic);
        }
        // Interleave the channels at random, keeping each channel's (shuffled) order.
        List<String> traffic = new ArrayList<>();
        List<java.util.Iterator<String>> remaining =
                new ArrayList<>(perChannel.stream().map(List::iterator).toList());
        while (!remaining.isEmpty()) {
            int pick = random.nextInt(remaining.size());
            traffic.add(remaining.get(pick).next());
            if (!remaining.get(pick).hasNext()) {
                remaining.remove(pick);
            }
        }
        assertThat(traffic.size()).isGreaterThan(CHANNELS * MESSAGES_PER_CHANNEL);

        long started = System.nanoTime();
        sendConcurrently(traffic);
        double sendSeconds = (System.nanoTime() - started) / 1e9;

        for (RocketTrack expected : rockets) {
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> {
                        JsonPath rocket = given().get("/rockets/{channel}", expected.channel)
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath();
                        assertThat(rocket.getLong("lastMessageNumber")).isEqualTo(MESSAGES_PER_CHANNEL);
                        assertThat(rocket.getString("type")).isEqualTo(expected.type);
                        assertThat(rocket.getString("mission")).isEqualTo(expected.mission);
                        assertThat(rocket.getLong("speed")).isEqualTo(expected.speed);
                        assertThat(rocket.getString("status")).isEqualTo(expected.status);
                        assertThat(rocket.getString("explosionReason")).isEqualTo(expected.explosionReason);
                        assertThat(rocket.getList("missingMessageNumbers")).isEmpty();
                        assertThat(rocket.getInt("pendingMessages")).isZero();
                        assertThat(rocket.getLong("skippedCount")).isZero();
                    });
        }
        double settledSeconds = (System.nanoTime() - started) / 1e9;
        Log.infof(
                "Rockets end to end: %d requests from %d clients accepted in %.1f s (%.0f/s); all %d channels "
                        + "settled after %.1f s",
                traffic.size(), CLIENTS, sendSeconds, traffic.size() / sendSeconds, CHANNELS, settledSeconds);
        List<String> channels = rockets.stream().map(r -> r.channel).toList();
        long stored = mongo.getDatabase(database)
                .getCollection(RocketEvent.COLLECTION)
                .countDocuments(new Document("channel", new Document("$in", channels)));
        assertThat(stored).isEqualTo((long) CHANNELS * MESSAGES_PER_CHANNEL);

        List<Map<String, Object>> listed = given().get("/rockets?sort=speed&order=desc&limit=10000")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
        assertThat(listed).extracting(r -> r.get("channel")).containsAll(channels);
    }

    /** Sends every message like the Rockets emitter does: a non-2xx is retried every 500 ms until accepted. */
    private void sendConcurrently(List<String> traffic) throws Exception {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>(traffic);
        AtomicInteger retries = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                running.add(clients.submit(() -> {
                    for (String body = queue.poll(); body != null; body = queue.poll()) {
                        // No Content-Type header, as the real emitter sends it.
                        HttpRequest request = HttpRequest.newBuilder(messages)
                                .header(Auth.HEADER, Auth.adminKey())
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build();
                        long deadline =
                                System.nanoTime() + Duration.ofSeconds(60).toNanos();
                        HttpResponse<String> response;
                        while ((response = http.send(request, HttpResponse.BodyHandlers.ofString())).statusCode()
                                != 202) {
                            assertThat(System.nanoTime())
                                    .as("accepted within 60 s: %s", response.body())
                                    .isLessThan(deadline);
                            retries.incrementAndGet();
                            Thread.sleep(500);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> client : running) {
                client.get(5, java.util.concurrent.TimeUnit.MINUTES);
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(retries.get()).as("retries").isLessThan(traffic.size() / 10);
    }
}
