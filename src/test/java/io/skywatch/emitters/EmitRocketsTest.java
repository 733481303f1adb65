package io.skywatch.emitters;

import static io.skywatch.testing.Auth.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.skywatch.testing.Auth;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The Rockets emitter against the gateway: what it prints as the expected end state is what GET /rockets shows. */
@QuarkusTest
class EmitRocketsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI gateway;

    @Test
    void runWithDuplicatesAndReorderingEndsWithGetRocketsEqualToItsPrintedExpectedState() throws Exception {
        String runId = "emit-" + UUID.randomUUID().toString().substring(0, 8);
        int channels = 12;
        int messages = 150;
        RocketsEmitter.Result result = new RocketsEmitter(
                        new RocketsEmitter.Settings(
                                gateway,
                                channels,
                                messages,
                                8,
                                Duration.ZERO,
                                0.1,
                                20,
                                0.3,
                                5,
                                runId,
                                Duration.ofSeconds(60),
                                false,
                                Auth.adminKey()),
                        Progress.silent("rockets"))
                .run();

        assertThat(result.totals().ok()).as("nothing refused or given up").isTrue();
        List<Map<String, Object>> printed = JSON.readValue(
                RocketsEmitter.expectedStateJson(result.expected()), new TypeReference<List<Map<String, Object>>>() {});
        assertThat(printed).hasSize(channels);
        long distinct = printed.stream()
                .mapToLong(r -> ((Number) r.get("lastMessageNumber")).longValue())
                .sum();
        assertThat(result.totals().acknowledged())
                .as("acknowledged requests: every message once, plus the duplicates")
                .isGreaterThan(distinct);
        Log.infof(
                "Rockets emitter: %d rockets, %d distinct messages, %d requests acknowledged in %.1f s, %d retried",
                channels,
                distinct,
                result.totals().acknowledged(),
                result.totals().seconds(),
                result.totals().retried());
        assertThat(printed).anySatisfy(r -> assertThat(r.get("status")).isEqualTo("EXPLODED"));
        assertThat(printed)
                .anySatisfy(r -> assertThat(r.get("lastMessageNumber")).isEqualTo(messages));

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    Map<String, Map<String, Object>> listed = given()
                            .get("/rockets?limit=10000")
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath()
                            .<Map<String, Object>>getList("$")
                            .stream()
                            .filter(r -> ((String) r.get("channel")).startsWith(runId + "-"))
                            .collect(Collectors.toMap(r -> (String) r.get("channel"), r -> r));
                    assertThat(listed).hasSize(channels);
                    for (Map<String, Object> expected : printed) {
                        Map<String, Object> actual = listed.get((String) expected.get("channel"));
                        for (String field : List.of("type", "mission", "status", "explosionReason")) {
                            assertThat(actual.get(field))
                                    .as(expected.get("channel") + " " + field)
                                    .isEqualTo(expected.get(field));
                        }
                        for (String field : List.of("speed", "lastMessageNumber")) {
                            assertThat(((Number) actual.get(field)).longValue())
                                    .as(expected.get("channel") + " " + field)
                                    .isEqualTo(((Number) expected.get(field)).longValue());
                        }
                        for (String field : List.of("launchTime", "lastMessageTime")) {
                            assertThat(Instant.parse((String) actual.get(field)))
                                    .as(expected.get("channel") + " " + field)
                                    .isEqualTo(Instant.parse((String) expected.get(field)));
                        }
                        assertThat(((Number) actual.get("pendingMessages")).intValue())
                                .isZero();
                        assertThat(((Number) actual.get("skippedCount")).longValue())
                                .isZero();
                        assertThat((List<?>) actual.get("missingMessageNumbers"))
                                .isEmpty();
                    }
                });
    }

    @Test
    void commandLineRunVerifiesItselfAgainstTheGateway() {
        int exit = EmitCli.commandLine()
                .execute(
                        "rockets",
                        "--url",
                        gateway.toString(),
                        "--api-key",
                        Auth.adminKey(),
                        "--channels",
                        "4",
                        "--messages",
                        "40",
                        "--duplicate-rate",
                        "0.2",
                        "--reorder-window",
                        "8",
                        "--run-id",
                        "cli-" + UUID.randomUUID().toString().substring(0, 8),
                        "--progress-every",
                        "0",
                        "--verify",
                        "--verify-timeout",
                        "60s");
        assertThat(exit).isZero();
    }
}
