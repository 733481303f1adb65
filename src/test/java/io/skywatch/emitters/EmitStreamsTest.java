package io.skywatch.emitters;

import static io.skywatch.testing.Auth.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.skywatch.testing.Auth;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The run-time stream generators against the gateway: they define their stream, then feed it. */
@QuarkusTest
class EmitStreamsTest {

    @TestHTTPResource("/")
    URI gateway;

    private StreamEventsEmitter emitter(String stream, long events, StreamEvents generator) {
        return new StreamEventsEmitter(
                new StreamEventsEmitter.Settings(
                        gateway, stream, 0, 50, events, null, 4, true, Duration.ofSeconds(60), Auth.adminKey()),
                generator,
                Progress.silent(stream));
    }

    @Test
    void loginEventsAreFilteredAndRefusedExactlyAsBuilt() throws Exception {
        String stream = "logins-" + UUID.randomUUID().toString().substring(0, 8);
        StreamEventsEmitter emitter = emitter(stream, 600, new LoginEvents(4, 50, 0.1));
        assertThat(emitter.ensureStream()).startsWith("defined");
        Progress.Snapshot totals = emitter.run();

        assertThat(totals.ok()).isTrue();
        assertThat(emitter.expectedRejected()).isPositive();
        assertThat(totals.rejected()).isEqualTo(emitter.expectedRejected());
        assertThat(totals.filtered()).isEqualTo(emitter.expectedFiltered()).isPositive();
        assertThat(totals.acknowledged() + totals.rejected() + totals.filtered())
                .isEqualTo(600);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(given().get("/streams/{name}/events?limit=10000", stream)
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath()
                                .getList("$"))
                        .hasSize((int) totals.acknowledged()));
    }

    @Test
    void cowMeasurementsKeepEachCowsSequenceWithoutGapsDespiteRefusals() throws Exception {
        String stream = "cows-" + UUID.randomUUID().toString().substring(0, 8);
        StreamEventsEmitter emitter = emitter(stream, 300, new CowMeasurements(2, "t", 5, 0.1));
        emitter.ensureStream();
        Progress.Snapshot totals = emitter.run();

        assertThat(totals.ok()).isTrue();
        assertThat(totals.rejected()).isEqualTo(emitter.expectedRejected()).isPositive();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            int stored = 0;
            for (int cow = 1; cow <= 5; cow++) {
                List<Integer> sequence = given().get(
                                "/streams/{name}/events?limit=10000&key={key}", stream, "t-cow-%03d".formatted(cow))
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("sequence", Integer.class);
                assertThat(sequence)
                        .as("cow %d's numbers", cow)
                        .isEqualTo(IntStream.rangeClosed(1, sequence.size())
                                .boxed()
                                .toList());
                stored += sequence.size();
            }
            assertThat(stored).isEqualTo(totals.acknowledged());
        });
    }
}
