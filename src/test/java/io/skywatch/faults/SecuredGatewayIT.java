package io.skywatch.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skywatch.embedded.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The packaged gateway (JVM or native, see {@link Cluster#forTest}) with security on, as production runs it: a
 * bootstrap admin key from the environment, generated for this run. No credentials → 401 problem+json; the admin
 * creates an emitter key (stored in Mongo through the API key document's codec, read back through it), the emitter
 * writes with it, and once revoked it is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecuredGatewayIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY_HEADER = "X-API-Key";
    private static final String PROBLEM_JSON = "application/problem+json";

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String adminKey = newAdminKey();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private Cluster cluster;
    private ChildProcess gateway;
    private int port;

    @BeforeAll
    void startGateway() {
        cluster = Cluster.forTest("secured", "secured-" + run);
        cluster.startInfra(START_TIMEOUT);
        port = Ports.freePort();
        gateway = cluster.startGateway(
                "secured", port, Map.of("SKYWATCH_SECURITY_ENABLED", "true", "SKYWATCH_SECURITY_ADMIN_KEY", adminKey));
        await().atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> cluster.gatewayReady(gateway, port));
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void requestsWithoutAValidKeyAreRefusedAsProblemJson() throws Exception {
        for (HttpResponse<String> refused : List.of(
                send("POST", "/messages", rocketMessage("secured-" + run, 1), null),
                send("GET", "/rockets", null, null),
                send("GET", "/admin/keys", null, null),
                send("POST", "/messages", rocketMessage("secured-" + run, 1), "sk_0123456789abcdef_no-such-key"))) {
            assertThat(refused.statusCode())
                    .as(refused.request().uri().getPath())
                    .isEqualTo(401);
            assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith(PROBLEM_JSON);
            assertThat(JSON.readTree(refused.body()).path("status").asInt()).isEqualTo(401);
        }
    }

    @Test
    void anEmitterKeyCreatedByTheAdminWritesUntilItIsRevoked() throws Exception {
        String channel = "secured-" + run;
        HttpResponse<String> created = send(
                "POST",
                "/admin/keys",
                "{\"name\":\"emitter-%s\",\"roles\":[\"emitter\"],\"channels\":[\"%s\"]}".formatted(run, channel),
                adminKey);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode body = JSON.readTree(created.body());
        String emitterKey = body.path("key").asText();
        String id = body.at("/apiKey/id").asText();
        assertThat(emitterKey).startsWith("sk_" + id + "_");

        // Read back from Mongo, not from what this replica holds in memory: the key document round-trips.
        HttpResponse<String> listed = send("GET", "/admin/keys/" + id, null, adminKey);
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        JsonNode view = JSON.readTree(listed.body());
        assertThat(view.path("name").asText()).isEqualTo("emitter-" + run);
        assertThat(view.path("roles").toString()).isEqualTo("[\"emitter\"]");
        assertThat(view.path("channels").toString()).isEqualTo("[\"" + channel + "\"]");
        assertThat(view.has("secretHash")).as("no secret in the view").isFalse();

        HttpResponse<String> accepted = send("POST", "/messages", rocketMessage(channel, 1), emitterKey);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        HttpResponse<String> otherChannel = send("POST", "/messages", rocketMessage("other-" + run, 1), emitterKey);
        assertThat(otherChannel.statusCode()).as(otherChannel.body()).isEqualTo(403);
        assertThat(send("GET", "/admin/keys", null, emitterKey).statusCode())
                .as("an emitter is no admin")
                .isEqualTo(403);

        HttpResponse<String> revoked = send("DELETE", "/admin/keys/" + id, null, adminKey);
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(204);
        HttpResponse<String> refused = send("POST", "/messages", rocketMessage(channel, 2), emitterKey);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
        assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith(PROBLEM_JSON);
        assertThat(JSON.readTree(
                                send("GET", "/admin/keys/" + id, null, adminKey).body())
                        .path("revokedAt")
                        .isTextual())
                .as("the revocation is stored")
                .isTrue();

        // Every key refresh (every 5 s) reads the whole collection back; none may fail to decode.
        assertThat(gateway.logContains("Could not refresh API keys"))
                .as("key refresh failures in the gateway log:\n%s", gateway.tail(20))
                .isFalse();
    }

    private static String rocketMessage(String channel, int number) {
        return "{\"metadata\":{\"channel\":\"%s\",\"messageNumber\":%d,\"messageTime\":\"2026-11-25T10:00:00Z\",\"messageType\":\"RocketLaunched\"},\"message\":{\"type\":\"Falcon-9\",\"launchSpeed\":500,\"mission\":\"ARTEMIS\"}}"
                .formatted(channel, number);
    }

    /** A bootstrap admin key as an operator makes one ({@code openssl rand -base64 32}), new for every run. */
    private static String newAdminKey() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    private HttpResponse<String> send(String method, String path, String body, String apiKey)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (apiKey != null) {
            request.header(KEY_HEADER, apiKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
