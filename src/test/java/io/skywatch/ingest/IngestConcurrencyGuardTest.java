package io.skywatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The guard on a real Vert.x router, in front of a handler that answers only when the test lets it. */
class IngestConcurrencyGuardTest {

    private final Vertx vertx = Vertx.vertx();
    private final List<RoutingContext> held = new CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newHttpClient();
    private final IngestConcurrencyGuard guard = new IngestConcurrencyGuard(2, 3);
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        Router router = Router.router(vertx);
        guard.install(router);
        router.route().handler(context -> {
            if (context.request().method().name().equals("GET")) {
                context.response().setStatusCode(200).end();
            } else {
                held.add(context);
            }
        });
        server = vertx.createHttpServer()
                .requestHandler(router)
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void ingestRequestsBeyondTheBoundAreRefusedAtOnceUntilOneFinishes() throws Exception {
        CompletableFuture<HttpResponse<String>> first = post("/messages");
        CompletableFuture<HttpResponse<String>> second = post("/sensors/readings");
        await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 2);

        HttpResponse<String> refused = post("/streams/cows/events").get(10, TimeUnit.SECONDS);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).contains("3");
        assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(refused.body()).contains("\"status\":503").contains("2 ingest requests");
        assertThat(held).hasSize(2);

        // Reads and other methods are not ingest: they pass while the bound is full.
        assertThat(send(HttpRequest.newBuilder(uri("/streams/cows/events")).GET())
                        .get(10, TimeUnit.SECONDS)
                        .statusCode())
                .isEqualTo(200);

        // The first two were sent together, so they may have arrived in either order: answer them by path.
        answer(heldAt("/messages"));
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> guard.inProgress() == 1);
        CompletableFuture<HttpResponse<String>> third = post("/streams/cows/events");
        await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 3);
        assertThat(guard.inProgress()).isEqualTo(2);
        answer(heldAt("/sensors/readings"));
        answer(heldAt("/streams/cows/events"));
        assertThat(second.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
        assertThat(third.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> guard.inProgress() == 0);
    }

    private RoutingContext heldAt(String path) {
        return held.stream()
                .filter(context -> context.request().path().equals(path))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no request to " + path + " is held"));
    }

    private void answer(RoutingContext context) {
        context.vertx().runOnContext(v -> context.response().setStatusCode(202).end());
    }

    private CompletableFuture<HttpResponse<String>> post(String path) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
    }

    private CompletableFuture<HttpResponse<String>> send(HttpRequest.Builder request) {
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.actualPort() + path);
    }
}
