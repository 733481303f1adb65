package io.skywatch.streams;

import static io.skywatch.testing.Auth.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Events posted the moment a stream is defined are acknowledged promptly and stored exactly once. Before the
 * definition waited for the new topics' partition leaders, the first sends could fail over to a 503 after the
 * broker had written them, and an emitter's retry then stored them twice.
 */
@QuarkusTest
class NewStreamIngestTest {

    private static final int STREAMS = 3;
    private static final int EVENTS = 40;

    @Test
    void eventsPostedRightAfterDefinitionAreAcceptedAndStoredOnce() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            for (int s = 0; s < STREAMS; s++) {
                String stream = "fresh-" + UUID.randomUUID().toString().substring(0, 8);
                given().contentType("application/json")
                        .body("""
                                {"name":"%s",
                                 "schema":{"type":"object","required":["device","value"],
                                   "properties":{"device":{"type":"string"},"value":{"type":"number"}}},
                                 "keyField":"device"}""".formatted(stream))
                        .post("/streams")
                        .then()
                        .statusCode(201);

                // No id or sequence field: nothing would hide a duplicate, and no retry happens here.
                List<CompletableFuture<Integer>> answers = new ArrayList<>();
                for (int i = 0; i < EVENTS; i++) {
                    String event = "{\"device\":\"d-%d\",\"value\":%d}".formatted(i % 7, i);
                    answers.add(CompletableFuture.supplyAsync(
                            () -> given().contentType("application/json")
                                    .body(event)
                                    .post("/streams/{name}/events", stream)
                                    .then()
                                    .extract()
                                    .statusCode(),
                            clients));
                }
                for (CompletableFuture<Integer> answer : answers) {
                    assertThat(answer.get(10, TimeUnit.SECONDS))
                            .as("answer to an event of a just-defined stream")
                            .isEqualTo(202);
                }
                await().atMost(Duration.ofSeconds(30))
                        .untilAsserted(() -> given().queryParam("limit", 1000)
                                .queryParam("from", "2000-01-01T00:00:00Z")
                                .get("/streams/{name}/events", stream)
                                .then()
                                .statusCode(200)
                                .body("size()", equalTo(EVENTS)));
            }
        } finally {
            clients.shutdownNow();
        }
    }
}
