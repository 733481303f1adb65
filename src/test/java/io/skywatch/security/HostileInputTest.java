package io.skywatch.security;

import static io.skywatch.testing.Auth.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.logging.Log;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.skywatch.testing.Auth;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Over 10,000 generated bad requests (random bytes, truncated JSON, huge numbers, deep nesting, long strings,
 * invalid UTF-8, MongoDB operator keys, wrong types, oversized batches, wrong media types and credentials, bad query
 * parameters and definitions) mixed with valid rockets messages and station readings, from 16 clients at once:
 * every bad one gets a 4xx problem+json without a class name, none a 5xx, the gateway stays ready throughout, and
 * every valid event is stored exactly once.
 */
@QuarkusTest
class HostileInputTest {

    private static final int BAD_REQUESTS = 10_400;
    private static final int CHANNELS = 20;
    private static final int MESSAGES_PER_CHANNEL = 40;
    private static final int STATIONS = 10;
    private static final int READINGS_PER_STATION = 40;
    private static final int CLIENTS = 16;
    /** What a response must never show. */
    private static final Pattern LEAK = Pattern.compile(
            "Exception|\\bat [a-z]+\\.[a-z]+\\.|java\\.|javax\\.|com\\.fasterxml|io\\.(quarkus|vertx|netty|smallrye|skywatch)"
                    + "|org\\.(bson|mongodb|apache|jboss)|StreamReadConstraints|\\.java:");

    @TestHTTPResource("/")
    URI root;

    @TestHTTPResource(value = "/health/ready", management = true)
    URI ready;

    @Inject
    ReactiveMongoClient mongo;

    @ConfigProperty(name = "quarkus.mongodb.database")
    String database;

    /** One request to send; {@code valid} ones must be acknowledged, the others refused with a 4xx. */
    record Shot(
            String category,
            String method,
            String path,
            String contentType,
            String apiKey,
            byte[] body,
            boolean valid) {}

    private final Random random = new Random(20261126);
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void thousandsOfBadRequestsAreRefusedAndEveryValidEventIsStoredOnce() throws Exception {
        String emitter = Auth.createKey("{\"name\":\"hostile-emitter\",\"roles\":[\"emitter\"],"
                + "\"quotaRate\":1000000,\"quotaBurst\":1000000}");
        String scoped = Auth.createKey("{\"name\":\"hostile-scoped\",\"roles\":[\"emitter\"],\"channels\":[\"only-"
                + run + "-*\"],\"quotaRate\":1000000,\"quotaBurst\":1000000}");
        String viewer = Auth.createKey("{\"name\":\"hostile-viewer\",\"roles\":[\"viewer\"]}");
        String stream = "hostile-" + run;
        given().contentType("application/json")
                .body("{\"name\":\"" + stream + "\",\"keyField\":\"id\",\"schema\":{\"type\":\"object\","
                        + "\"required\":[\"id\",\"v\"],\"properties\":{\"id\":{\"type\":\"string\"},"
                        + "\"v\":{\"type\":\"number\"}},\"additionalProperties\":false}}")
                .post("/streams")
                .then()
                .statusCode(201);

        List<String> channels = new ArrayList<>();
        List<String> stations = new ArrayList<>();
        List<List<Shot>> validQueues = new ArrayList<>();
        Instant t0 = Instant.now().minus(Duration.ofMinutes(30));
        for (int c = 0; c < CHANNELS; c++) {
            String channel = "hostile-" + run + "-" + c;
            channels.add(channel);
            List<Shot> queue = new ArrayList<>();
            for (int n = 1; n <= MESSAGES_PER_CHANNEL; n++) {
                queue.add(new Shot("valid", "POST", "/messages", null, emitter, bytes(rocket(channel, n)), true));
            }
            validQueues.add(queue);
        }
        for (int s = 0; s < STATIONS; s++) {
            String station = "hostile-st-" + run + "-" + s;
            stations.add(station);
            List<Shot> queue = new ArrayList<>();
            for (int n = 1; n <= READINGS_PER_STATION; n++) {
                queue.add(new Shot(
                        "valid",
                        "POST",
                        "/sensors/readings",
                        "application/json",
                        emitter,
                        bytes(reading(station, n, t0.plusSeconds(n))),
                        true));
            }
            validQueues.add(queue);
        }

        List<Function<Generators, Shot>> generators = Generators.all();
        Generators g = new Generators(random, run, emitter, scoped, viewer, stream, t0);
        List<Shot> bad = new ArrayList<>();
        for (int i = 0; i < BAD_REQUESTS; i++) {
            bad.add(generators.get(i % generators.size()).apply(g));
        }
        Collections.shuffle(bad, random);
        // Valid events go in their channel's order, spread through the bad ones.
        List<Shot> all = new ArrayList<>(bad);
        int validTotal = validQueues.stream().mapToInt(List::size).sum();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < validTotal; i++) {
            positions.add(random.nextInt(all.size() + 1));
        }
        Collections.sort(positions);
        List<Shot> mixed = new ArrayList<>();
        List<Integer> cursors = new ArrayList<>(Collections.nCopies(validQueues.size(), 0));
        int p = 0;
        for (int i = 0; i <= all.size(); i++) {
            while (p < positions.size() && positions.get(p) == i) {
                int q;
                do {
                    q = random.nextInt(validQueues.size());
                } while (cursors.get(q) >= validQueues.get(q).size());
                mixed.add(validQueues.get(q).get(cursors.get(q)));
                cursors.set(q, cursors.get(q) + 1);
                p++;
            }
            if (i < all.size()) {
                mixed.add(all.get(i));
            }
        }
        assertThat(mixed).hasSize(BAD_REQUESTS + validTotal);

        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        ConcurrentLinkedQueue<Shot> queue = new ConcurrentLinkedQueue<>(mixed);
        Map<String, Map<Integer, LongAdder>> statuses = new ConcurrentHashMap<>();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        LongAdder badSent = new LongAdder();
        LongAdder bad4xx = new LongAdder();
        LongAdder bad5xx = new LongAdder();
        LongAdder validAcknowledged = new LongAdder();
        LongAdder validRetried = new LongAdder();
        AtomicInteger notReady = new AtomicInteger();
        AtomicInteger readyChecks = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);

        Thread readiness = new Thread(() -> {
            while (running.get()) {
                readyChecks.incrementAndGet();
                if (status(http, HttpRequest.newBuilder(ready).GET().timeout(Duration.ofSeconds(5))) != 200) {
                    notReady.incrementAndGet();
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        readiness.start();
        long started = System.nanoTime();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> running16 = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                running16.add(clients.submit(() -> {
                    for (Shot shot = queue.poll(); shot != null; shot = queue.poll()) {
                        HttpResponse<String> response = send(http, shot);
                        int code = response == null ? -1 : response.statusCode();
                        statuses.computeIfAbsent(shot.category(), k -> new ConcurrentHashMap<>())
                                .computeIfAbsent(code, k -> new LongAdder())
                                .increment();
                        if (shot.valid()) {
                            long deadline =
                                    System.nanoTime() + Duration.ofSeconds(60).toNanos();
                            while ((code == 503 || code == -1) && System.nanoTime() < deadline) {
                                validRetried.increment();
                                sleep(200);
                                response = send(http, shot);
                                code = response == null ? -1 : response.statusCode();
                            }
                            if (code == 202) {
                                validAcknowledged.increment();
                            } else {
                                failures.add("valid " + shot.path() + " answered " + code + ": "
                                        + (response == null ? "" : response.body()));
                            }
                            continue;
                        }
                        badSent.increment();
                        if (code >= 400 && code < 500) {
                            bad4xx.increment();
                        } else if (code >= 500) {
                            bad5xx.increment();
                        }
                        if (code < 400 || code >= 500) {
                            failures.add(shot.category() + " " + shot.method() + " " + shot.path() + " answered " + code
                                    + ": " + (response == null ? "" : abbreviate(response.body())) + " <- "
                                    + abbreviate(new String(shot.body(), StandardCharsets.UTF_8)));
                            continue;
                        }
                        String contentType =
                                response.headers().firstValue("Content-Type").orElse("");
                        if (!contentType.startsWith("application/problem+json")) {
                            failures.add(shot.category() + " " + shot.path() + " " + code + " not problem+json: "
                                    + contentType);
                        }
                        if (LEAK.matcher(response.body()).find()) {
                            failures.add(shot.category() + " " + shot.path() + " " + code + " leaks: "
                                    + abbreviate(response.body()));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running16) {
                f.get(10, TimeUnit.MINUTES);
            }
        } finally {
            clients.shutdownNow();
            running.set(false);
            readiness.join(10_000);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        var events = mongo.getDatabase(database).getCollection("rocket_events");
        var readings = mongo.getDatabase(database).getCollection("sensor_readings");
        long expectedRockets = (long) CHANNELS * MESSAGES_PER_CHANNEL;
        long expectedReadings = (long) STATIONS * READINGS_PER_STATION;
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    assertThat(count(events, new Document("channel", new Document("$in", channels))))
                            .isEqualTo(expectedRockets);
                    assertThat(count(readings, new Document("stationId", new Document("$in", stations))))
                            .isEqualTo(expectedReadings);
                });
        for (String channel : channels) {
            given().get("/rockets/" + channel)
                    .then()
                    .statusCode(200)
                    .body("lastMessageNumber", org.hamcrest.Matchers.equalTo(MESSAGES_PER_CHANNEL))
                    .body("speed", org.hamcrest.Matchers.equalTo(500 + MESSAGES_PER_CHANNEL - 1));
        }
        // Nothing of the bad traffic was stored under its names.
        assertThat(count(events, new Document("channel", new Document("$regex", "^(bad|only)-" + run))))
                .isZero();

        Map<String, Map<Integer, Long>> table = new TreeMap<>();
        statuses.forEach((category, byStatus) -> {
            Map<Integer, Long> counts = new TreeMap<>();
            byStatus.forEach((code, n) -> counts.put(code, n.sum()));
            table.put(category, counts);
        });
        Log.infof(
                "Hostile input: %d bad requests sent, %d got 4xx, %d got 5xx; %d valid events sent, %d acknowledged"
                        + " (%d retries), %d rockets messages + %d readings stored once each; readiness %d/%d checks"
                        + " ready; %d s; by category and status: %s",
                badSent.sum(),
                bad4xx.sum(),
                bad5xx.sum(),
                validTotal,
                validAcknowledged.sum(),
                validRetried.sum(),
                expectedRockets,
                expectedReadings,
                readyChecks.get() - notReady.get(),
                readyChecks.get(),
                took.toSeconds(),
                table);

        assertThat(failures).as("requests answered wrongly").isEmpty();
        assertThat(badSent.sum()).isGreaterThanOrEqualTo(10_000);
        assertThat(bad4xx.sum()).isEqualTo(badSent.sum());
        assertThat(bad5xx.sum()).isZero();
        assertThat(validAcknowledged.sum()).isEqualTo(validTotal);
        assertThat(readyChecks.get()).isPositive();
        assertThat(notReady.get()).as("readiness checks that failed").isZero();
        assertThat(status(http, HttpRequest.newBuilder(ready).GET())).isEqualTo(200);
    }

    private HttpResponse<String> send(HttpClient http, Shot shot) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(root.resolve(shot.path())).timeout(Duration.ofSeconds(60));
        if (shot.method().equals("GET")) {
            request.GET();
        } else {
            request.method(shot.method(), HttpRequest.BodyPublishers.ofByteArray(shot.body()));
        }
        if (shot.contentType() != null) {
            request.header("Content-Type", shot.contentType());
        }
        if (shot.apiKey() != null) {
            request.header(Auth.HEADER, shot.apiKey());
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static int status(HttpClient http, HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static long count(
            io.quarkus.mongodb.reactive.ReactiveMongoCollection<Document> collection, Document filter) {
        return collection.countDocuments(filter).await().atMost(Duration.ofSeconds(30));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String rocket(String channel, long number) {
        String type = number == 1 ? "RocketLaunched" : "RocketSpeedIncreased";
        String message =
                number == 1 ? "{\"type\":\"Falcon-9\",\"launchSpeed\":500,\"mission\":\"ARTEMIS\"}" : "{\"by\":1}";
        return "{\"metadata\":{\"channel\":\"" + channel + "\",\"messageNumber\":" + number
                + ",\"messageTime\":\"2026-11-26T03:00:00Z\",\"messageType\":\"" + type + "\"},\"message\":" + message
                + "}";
    }

    static String reading(String station, long sequence, Instant at) {
        return "{\"stationId\":\"" + station + "\",\"timestamp\":\"" + at + "\",\"sequence\":" + sequence
                + ",\"temperature\":" + (15 + sequence % 10) + ",\"pm2_5\":8.5}";
    }
}
