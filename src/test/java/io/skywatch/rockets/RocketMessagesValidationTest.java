package io.skywatch.rockets;

import static io.skywatch.testing.Auth.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.skywatch.testing.TopicContents;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way a rockets message can be wrong gets a problem+json naming the field, and never reaches Kafka. */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RocketMessagesValidationTest {

    private static final String TEMPLATE = """
            {"metadata":{"channel":"%s","messageNumber":1,"messageTime":"2022-02-02T19:39:05.86337+01:00",
             "messageType":"RocketLaunched"},"message":{"type":"Falcon-9","launchSpeed":500,"mission":"ARTEMIS"}}""";

    private final Set<String> rejectedChannels = ConcurrentHashMap.newKeySet();

    @ConfigProperty(name = "skywatch.rockets.topic")
    String topic;

    private String channel() {
        String channel = UUID.randomUUID().toString();
        rejectedChannels.add(channel);
        return channel;
    }

    private static RequestSpecification json() {
        return given().contentType("application/json");
    }

    static Stream<Arguments> invalidBodies() {
        return Stream.of(
                Arguments.of("missing metadata", "{\"message\":{}}", "$.metadata"),
                Arguments.of(
                        "missing message",
                        "{\"metadata\":{\"channel\":\"%s\",\"messageNumber\":1,"
                                + "\"messageTime\":\"2022-02-02T19:39:05Z\",\"messageType\":\"RocketExploded\"}}",
                        "$.message"),
                Arguments.of("missing channel", TEMPLATE.replace("\"channel\":\"%s\",", ""), "$.metadata.channel"),
                Arguments.of(
                        "missing messageNumber",
                        TEMPLATE.replace("\"messageNumber\":1,", ""),
                        "$.metadata.messageNumber"),
                Arguments.of(
                        "missing messageTime",
                        TEMPLATE.replace("\"messageTime\":\"2022-02-02T19:39:05.86337+01:00\",", ""),
                        "$.metadata.messageTime"),
                Arguments.of(
                        "missing messageType",
                        TEMPLATE.replace(",\n \"messageType\":\"RocketLaunched\"", ""),
                        "$.metadata.messageType"),
                Arguments.of(
                        "unknown messageType",
                        TEMPLATE.replace("RocketLaunched", "RocketLanded"),
                        "$.metadata.messageType"),
                Arguments.of(
                        "messageNumber zero",
                        TEMPLATE.replace("\"messageNumber\":1", "\"messageNumber\":0"),
                        "$.metadata.messageNumber"),
                Arguments.of(
                        "messageNumber negative",
                        TEMPLATE.replace("\"messageNumber\":1", "\"messageNumber\":-3"),
                        "$.metadata.messageNumber"),
                Arguments.of(
                        "messageNumber as string",
                        TEMPLATE.replace("\"messageNumber\":1", "\"messageNumber\":\"1\""),
                        "$.metadata.messageNumber"),
                Arguments.of(
                        "messageNumber fractional",
                        TEMPLATE.replace("\"messageNumber\":1", "\"messageNumber\":1.5"),
                        "$.metadata.messageNumber"),
                Arguments.of(
                        "messageTime not a date",
                        TEMPLATE.replace("2022-02-02T19:39:05.86337+01:00", "yesterday"),
                        "$.metadata.messageTime"),
                Arguments.of(
                        "launchSpeed as string",
                        TEMPLATE.replace("\"launchSpeed\":500", "\"launchSpeed\":\"500\""),
                        "$.message.launchSpeed"),
                Arguments.of(
                        "launch without mission",
                        TEMPLATE.replace(",\"mission\":\"ARTEMIS\"", ""),
                        "$.message.mission"),
                Arguments.of(
                        "speed change without by",
                        TEMPLATE.replace("RocketLaunched", "RocketSpeedIncreased"),
                        "$.message.by"),
                Arguments.of(
                        "channel with a slash",
                        TEMPLATE.replace("\"channel\":\"%s\"", "\"channel\":\"a/b\""),
                        "$.metadata.channel"),
                Arguments.of("body is an array", "[" + TEMPLATE + "]", "$"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBodies")
    void invalidEnvelopeIsRejectedNamingTheField(String description, String template, String field) {
        json().body(template.formatted(channel()))
                .post("/messages")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("status", equalTo(422))
                .body("detail", containsString(field))
                .body("errors.field", hasItem(field));
    }

    @Test
    void bodyThatIsNotJsonIsABadRequest() {
        json().body("metadata=1")
                .post("/messages")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("not valid JSON"));
    }

    @Test
    void truncatedJsonIsABadRequest() {
        json().body(TEMPLATE.formatted(channel()).substring(0, 60))
                .post("/messages")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void emptyBodyIsABadRequest() {
        json().post("/messages")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("empty"));
    }

    @Test
    void duplicateKeysAreABadRequest() {
        String body = TEMPLATE.formatted(channel())
                .replace("\"messageNumber\":1,", "\"messageNumber\":1,\"messageNumber\":2,");
        json().body(body)
                .post("/messages")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("messageNumber"));
    }

    @Test
    void bodyOverTheSizeLimitIsTooLarge() {
        String body = TEMPLATE.formatted(channel()).replace("ARTEMIS", "A".repeat(20_000));
        json().body(body)
                .post("/messages")
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("detail", containsString("max-message-bytes"));
    }

    @Test
    void bodyOverTheGatewayLimitIsTooLargeBeforeItIsRead() {
        json().body(new byte[11 * 1024 * 1024])
                .post("/messages")
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("detail", containsString("gateway's limit"));
    }

    @Test
    void explicitNonJsonContentTypeIsUnsupported() {
        given().contentType("text/xml")
                .body(TEMPLATE.formatted(channel()))
                .post("/messages")
                .then()
                .statusCode(415)
                .contentType("application/problem+json")
                .body("detail", containsString("text/xml"));
    }

    @Test
    void unknownPathIsAProblemToo() {
        given().get("/no-such-thing").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void invalidQueryParameterNamesIt() {
        given().get("/rockets?sort=altitude")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("sort"));
    }

    @AfterAll
    void nothingRejectedReachedKafka() {
        assertThat(rejectedChannels).hasSizeGreaterThan(15);
        assertThat(TopicContents.readAll(topic))
                .extracting(ConsumerRecord::key)
                .doesNotContainAnyElementsOf(rejectedChannels);
    }
}
