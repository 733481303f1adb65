package io.skywatch.rockets;

import static io.skywatch.testing.Auth.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** A record another producer wrote that cannot be read goes to the dead-letter topic and blocks nothing. */
@QuarkusTest
class RocketDeadLetterTest {

    /** Prometheus metrics, on the management interface. */
    @TestHTTPResource(value = "/metrics", management = true)
    URL metricsUrl;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "skywatch.rockets.topic")
    String topic;

    @Test
    void undeserialisableRecordIsDeadLetteredAndTheChannelCarriesOn() throws Exception {
        String channel = "poison-" + UUID.randomUUID();
        byte[] garbage = {(byte) 0xff, (byte) 0xfe, 0x00, 0x13, 'n', 'o', 't', ' ', 'j', 's', 'o', 'n'};
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
            producer.send(new ProducerRecord<>(topic, channel, garbage)).get(10, TimeUnit.SECONDS);
        }
        // The next message of the same channel lands on the same partition, behind the poison pill.
        given().contentType("application/json")
                .body("""
                {"metadata":{"channel":"%s","messageNumber":1,"messageTime":"2022-02-02T19:39:05+01:00",\
                "messageType":"RocketLaunched"},"message":{"type":"Falcon-9","launchSpeed":500,"mission":"ARTEMIS"}}""".formatted(channel))
                .post("/messages")
                .then()
                .statusCode(202);

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().get("/rockets/{channel}", channel)
                        .then()
                        .statusCode(200)
                        .body("type", equalTo("Falcon-9")));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Map<String, Object>> recent = given().get("/dead-letters/rockets?limit=500")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getList("$");
            assertThat(recent)
                    .filteredOn(letter -> channel.equals(letter.get("key")))
                    .singleElement()
                    .satisfies(letter -> {
                        assertThat((String) letter.get("reason")).contains("not valid JSON");
                        assertThat((String) letter.get("source")).startsWith(topic + "-");
                        assertThat(((String) letter.get("value")).getBytes(StandardCharsets.UTF_8))
                                .isNotEmpty();
                    });
        });
        JsonPath counts =
                given().get("/dead-letters").then().statusCode(200).extract().jsonPath();
        assertThat(counts.getLong("find { it.stream == 'rockets' }.records")).isGreaterThanOrEqualTo(1);
        assertThat(given().get(metricsUrl).then().extract().asString())
                .containsPattern("skywatch_dlq_records_total\\{stream=\"rockets\"\\} [1-9]");
    }
}
