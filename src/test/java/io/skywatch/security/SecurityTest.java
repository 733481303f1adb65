package io.skywatch.security;

import static io.skywatch.testing.Auth.anonymous;
import static io.skywatch.testing.Auth.given;
import static io.skywatch.testing.Auth.withKey;
import static io.skywatch.testing.Auth.withToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.skywatch.testing.Auth;
import io.skywatch.testing.LiveSocketClient;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Who may do what: API keys and bearer tokens, the three roles, key scopes, revocation, quotas, /ws/live. */
@QuarkusTest
class SecurityTest {

    @TestHTTPResource("/ws/live")
    URI live;

    @Inject
    ReactiveMongoClient mongo;

    @ConfigProperty(name = "quarkus.mongodb.database")
    String database;

    private static String launch(String channel, long number) {
        return "{\"metadata\":{\"channel\":\"" + channel + "\",\"messageNumber\":" + number
                + ",\"messageTime\":\"2026-11-26T03:00:00Z\",\"messageType\":\"RocketLaunched\"},"
                + "\"message\":{\"type\":\"Falcon-9\",\"launchSpeed\":500,\"mission\":\"ARTEMIS\"}}";
    }

    private static String reading(String station) {
        return "{\"stationId\":\"" + station + "\",\"timestamp\":\""
                + Instant.now().minusSeconds(5) + "\",\"temperature\":21.5}";
    }

    private static String channel() {
        return "sec-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void assertProblem(Response response, int status) {
        response.then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("detail", notNullValue())
                .body(not(containsString("Exception")))
                .body(not(containsString("io.quarkus")));
    }

    private static String keyWithRoles(String... roles) {
        return Auth.createKey("{\"name\":\"sec-test\",\"roles\":[\"" + String.join("\",\"", roles) + "\"]}");
    }

    @Test
    void ingestWithoutCredentialsIsUnauthorized() {
        Response response = anonymous()
                .contentType("application/json")
                .body(launch(channel(), 1))
                .post("/messages");
        assertProblem(response, 401);
        assertThat(response.header("WWW-Authenticate")).contains("ApiKey");
    }

    @Test
    void queriesAndAdministrationWithoutCredentialsAreUnauthorized() {
        assertProblem(anonymous().get("/rockets"), 401);
        assertProblem(anonymous().get("/stations"), 401);
        assertProblem(anonymous().get("/admin/keys"), 401);
        assertProblem(anonymous().contentType("application/json").body("{}").post("/alert-rules"), 401);
    }

    @Test
    void unknownMalformedAndEmptyKeysAreUnauthorized() {
        assertProblem(withKey("sk_0123456789abcdef_" + "A".repeat(43)).get("/rockets"), 401);
        assertProblem(withKey("not-a-key").get("/rockets"), 401);
        assertProblem(withKey(Auth.adminKey() + "x").get("/rockets"), 401);
    }

    @Test
    void emitterKeyIngestsButNeitherReadsNorAdministers() {
        String key = keyWithRoles("emitter");
        withKey(key)
                .contentType("application/json")
                .body(launch(channel(), 1))
                .post("/messages")
                .then()
                .statusCode(202);
        withKey(key)
                .contentType("application/json")
                .body("[" + reading("sec-st-" + UUID.randomUUID()) + "]")
                .post("/sensors/readings")
                .then()
                .statusCode(202);
        assertProblem(withKey(key).get("/rockets"), 403);
        assertProblem(withKey(key).get("/alerts"), 403);
        assertProblem(withKey(key).get("/admin/keys"), 403);
        assertProblem(withKey(key).contentType("application/json").body("{}").post("/streams"), 403);
        assertProblem(withKey(key).get("/dead-letters"), 403);
    }

    @Test
    void viewerKeyReadsButNeitherIngestsNorAdministers() {
        String key = keyWithRoles("viewer");
        withKey(key).get("/rockets").then().statusCode(200);
        withKey(key).get("/stations").then().statusCode(200);
        withKey(key).get("/alert-rules").then().statusCode(200);
        withKey(key).get("/streams").then().statusCode(200);
        assertProblem(
                withKey(key)
                        .contentType("application/json")
                        .body(launch(channel(), 1))
                        .post("/messages"),
                403);
        assertProblem(
                withKey(key)
                        .contentType("application/json")
                        .body("{\"metric\":\"pm10\",\"severity\":\"INFO\",\"raiseAbove\":1}")
                        .post("/alert-rules"),
                403);
        assertProblem(
                withKey(key)
                        .contentType("application/json")
                        .body("{\"id\":\"x\",\"name\":\"x\"}")
                        .post("/stations"),
                403);
        assertProblem(
                withKey(key)
                        .contentType("application/json")
                        .body("{\"name\":\"n\"}")
                        .post("/admin/keys"),
                403);
        assertProblem(withKey(key).get("/dead-letters"), 403);
    }

    @Test
    void adminKeyCreatedThroughTheApiAdministersReadsAndIngests() {
        String admin = keyWithRoles("admin");
        String created = withKey(admin)
                .contentType("application/json")
                .body("{\"name\":\"made-by-admin\"}")
                .post("/admin/keys")
                .then()
                .statusCode(201)
                .body("apiKey.roles", equalTo(List.of("emitter")))
                .extract()
                .path("key");
        assertThat(created).startsWith("sk_");
        withKey(admin).get("/rockets").then().statusCode(200);
        withKey(admin).get("/dead-letters").then().statusCode(200);
        withKey(admin)
                .contentType("application/json")
                .body(launch(channel(), 1))
                .post("/messages")
                .then()
                .statusCode(202);
    }

    @Test
    void keyIsShownOnceAndStoredOnlyAsAHash() {
        Response created = given().contentType("application/json")
                .body("{\"name\":\"hash-check\",\"roles\":[\"viewer\"]}")
                .post("/admin/keys");
        created.then().statusCode(201).header("Cache-Control", "no-store");
        String key = created.path("key");
        String id = created.path("apiKey.id");
        assertThat(key).startsWith("sk_" + id + "_");

        given().get("/admin/keys/" + id)
                .then()
                .statusCode(200)
                .body("$", not(hasKey("key")))
                .body("$", not(hasKey("secretHash")));
        assertThat(given().get("/admin/keys").asString())
                .doesNotContain(KeySecrets.parse(key).secret());

        Document stored = mongo.getDatabase(database)
                .getCollection(ApiKey.COLLECTION)
                .find(new Document("_id", id))
                .collect()
                .first()
                .await()
                .atMost(Duration.ofSeconds(10));
        String secret = KeySecrets.parse(key).secret();
        assertThat(stored.toJson()).doesNotContain(secret);
        assertThat(stored.getString("secretHash")).isEqualTo(KeySecrets.hash(secret));
    }

    @Test
    void revokedKeyIsRefusedAtOnce() {
        Response created = given().contentType("application/json")
                .body("{\"name\":\"to-revoke\",\"roles\":[\"emitter\"]}")
                .post("/admin/keys");
        String key = created.path("key");
        String id = created.path("apiKey.id");
        withKey(key)
                .contentType("application/json")
                .body(launch(channel(), 1))
                .post("/messages")
                .then()
                .statusCode(202);

        given().delete("/admin/keys/" + id).then().statusCode(204);

        assertProblem(
                withKey(key)
                        .contentType("application/json")
                        .body(launch(channel(), 1))
                        .post("/messages"),
                401);
        given().get("/admin/keys/" + id).then().statusCode(200).body("revokedAt", notNullValue());
        given().delete("/admin/keys/" + id).then().statusCode(204);
        assertProblem(given().delete("/admin/keys/ffffffffffffffff"), 404);
    }

    @Test
    void keyMadeAndRevokedOnAnotherReplicaIsSeenHere() {
        // Another replica writes api_keys; this one has never heard of the key.
        KeySecrets.Generated generated = KeySecrets.generate();
        Document key = new Document("_id", generated.id())
                .append("name", "other-replica")
                .append("roles", List.of("emitter"))
                .append("channels", List.of())
                .append("stations", List.of())
                .append("streams", List.of())
                .append("secretHash", generated.secretHash())
                .append("createdAt", new java.util.Date());
        var keys = mongo.getDatabase(database).getCollection(ApiKey.COLLECTION);
        keys.insertOne(key).await().atMost(Duration.ofSeconds(10));

        // An unknown id reloads the keys (at most once per skywatch.security.unknown-key-reload).
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> withKey(generated.key())
                        .contentType("application/json")
                        .body(launch(channel(), 1))
                        .post("/messages")
                        .then()
                        .statusCode(202));

        keys.updateOne(
                        new Document("_id", generated.id()),
                        new Document("$set", new Document("revokedAt", new java.util.Date())))
                .await()
                .atMost(Duration.ofSeconds(10));
        // The periodic refresh (skywatch.security.key-refresh, 5 s) carries the revocation here.
        await().atMost(Duration.ofSeconds(12))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> withKey(generated.key())
                        .contentType("application/json")
                        .body(launch(channel(), 1))
                        .post("/messages")
                        .then()
                        .statusCode(401));
    }

    @Test
    void keyScopedToChannelsMayNotWriteOtherChannels() {
        String prefix = "scope-" + UUID.randomUUID().toString().substring(0, 6);
        String key = Auth.emitterKey(List.of(prefix + "-a-*", prefix + "-exact"));
        withKey(key)
                .contentType("application/json")
                .body(launch(prefix + "-a-1", 1))
                .post("/messages")
                .then()
                .statusCode(202);
        withKey(key)
                .contentType("application/json")
                .body(launch(prefix + "-exact", 1))
                .post("/messages")
                .then()
                .statusCode(202);
        Response refused = withKey(key)
                .contentType("application/json")
                .body(launch(prefix + "-b-1", 1))
                .post("/messages");
        assertProblem(refused, 403);
        refused.then().body("errors[0].field", equalTo("channel")).body("detail", containsString(prefix + "-b-1"));
    }

    @Test
    void keyScopedToStationsAndAStreamWritesOnlyThose() {
        String prefix = "scope-st-" + UUID.randomUUID().toString().substring(0, 6);
        String key = Auth.createKey("{\"name\":\"stations\",\"roles\":[\"emitter\"],\"stations\":[\"" + prefix
                + "-*\"],\"streams\":[\"sensors\"]}");
        withKey(key)
                .contentType("application/json")
                .body("[" + reading(prefix + "-1") + "," + reading(prefix + "-2") + "]")
                .post("/sensors/readings")
                .then()
                .statusCode(202)
                .body("accepted", equalTo(2));
        // One reading of another station refuses the whole request: nothing of it is published.
        Response mixed = withKey(key)
                .contentType("application/json")
                .body("[" + reading(prefix + "-3") + "," + reading("elsewhere-1") + "]")
                .post("/sensors/readings");
        assertProblem(mixed, 403);
        mixed.then().body("errors[0].field", equalTo("stationId"));
        assertProblem(
                withKey(key)
                        .contentType("application/json")
                        .body(launch(channel(), 1))
                        .post("/messages"),
                403);
    }

    @Test
    void invalidKeyRequestsAreRejected() {
        assertProblem(given().contentType("application/json").body("{}").post("/admin/keys"), 422);
        assertProblem(
                given().contentType("application/json")
                        .body("{\"name\":\"x\",\"roles\":[\"root\"]}")
                        .post("/admin/keys"),
                422);
        assertProblem(
                given().contentType("application/json")
                        .body("{\"name\":\"x\",\"channels\":[\"$where\"]}")
                        .post("/admin/keys"),
                422);
        assertProblem(
                given().contentType("application/json")
                        .body("{\"name\":\"x\",\"quotaRate\":-1}")
                        .post("/admin/keys"),
                422);
    }

    @Test
    void bearerTokensCarryTheirRoles() {
        withToken(Auth.token("alice", "viewer")).get("/rockets").then().statusCode(200);
        assertProblem(
                withToken(Auth.token("alice", "viewer"))
                        .contentType("application/json")
                        .body(launch(channel(), 1))
                        .post("/messages"),
                403);
        withToken(Auth.token("sensor-gw", "emitter"))
                .contentType("application/json")
                .body(launch(channel(), 1))
                .post("/messages")
                .then()
                .statusCode(202);
        assertProblem(withToken(Auth.token("sensor-gw", "emitter")).get("/alerts"), 403);
        withToken(Auth.token("ops", "admin"))
                .contentType("application/json")
                .body("{\"name\":\"by-token\"}")
                .post("/admin/keys")
                .then()
                .statusCode(201);
        assertProblem(withToken(Auth.token("nobody")).get("/rockets"), 403);
    }

    @Test
    void expiredForgedAndGarbageTokensAreUnauthorized() throws Exception {
        assertProblem(
                withToken(Auth.token("late", Duration.ofSeconds(-120), "viewer"))
                        .get("/rockets"),
                401);
        var other = java.security.KeyPairGenerator.getInstance("RSA");
        other.initialize(2048);
        String forged = io.smallrye.jwt.build.Jwt.issuer("skywatch")
                .subject("mallory")
                .groups("admin")
                .sign(other.generateKeyPair().getPrivate());
        assertProblem(withToken(forged).get("/admin/keys"), 401);
        assertProblem(withToken("not.a.token").get("/rockets"), 401);
    }

    @Test
    void quotaAnswers429WithRetryAfter() {
        String key = Auth.createKey("{\"name\":\"slow\",\"roles\":[\"emitter\"],\"quotaRate\":0.2,\"quotaBurst\":2}");
        String channel = channel();
        withKey(key)
                .contentType("application/json")
                .body(launch(channel, 1))
                .post("/messages")
                .then()
                .statusCode(202);
        withKey(key)
                .contentType("application/json")
                .body(launch(channel, 2))
                .post("/messages")
                .then()
                .statusCode(202);
        Response refused = withKey(key)
                .contentType("application/json")
                .body(launch(channel, 3))
                .post("/messages");
        assertProblem(refused, 429);
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 5);
        // Other keys have their own buckets.
        given().contentType("application/json")
                .body(launch(channel, 3))
                .post("/messages")
                .then()
                .statusCode(202);
    }

    @Test
    void liveSocketNeedsAViewer() {
        assertThat(handshakeStatus(live, null)).isEqualTo(401);
        assertThat(handshakeStatus(live, keyWithRoles("emitter"))).isEqualTo(403);
        assertThat(handshakeStatus(URI.create(live + "?access_token=sk_0123456789abcdef_" + "A".repeat(43)), null))
                .isEqualTo(401);

        String viewer = keyWithRoles("viewer");
        try (LiveSocketClient client = LiveSocketClient.connect(live, "", viewer)) {
            client.await(m -> m.type().equals("subscribed"), Duration.ofSeconds(10));
        }
    }

    @Test
    void browsersAuthenticateTheLiveSocketWithAQueryParameter() {
        try (LiveSocketClient client = LiveSocketClient.connect(live, "access_token=" + keyWithRoles("viewer"), null)) {
            client.await(m -> m.type().equals("subscribed"), Duration.ofSeconds(10));
        }
        try (LiveSocketClient client =
                LiveSocketClient.connect(live, "access_token=" + Auth.token("dash", "viewer"), null)) {
            client.await(m -> m.type().equals("subscribed"), Duration.ofSeconds(10));
        }
    }

    /** The HTTP status a WebSocket handshake got, or 101 when it succeeded. */
    private static int handshakeStatus(URI httpUri, String apiKey) {
        URI uri = URI.create(httpUri.toString().replaceFirst("^http", "ws"));
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
        if (apiKey != null) {
            builder.header(Auth.HEADER, apiKey);
        }
        try {
            WebSocket socket = builder.buildAsync(uri, new WebSocket.Listener() {})
                    .orTimeout(10, TimeUnit.SECONDS)
                    .join();
            socket.abort();
            return 101;
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException handshake) {
                return handshake.getResponse().statusCode();
            }
            throw e;
        }
    }
}
