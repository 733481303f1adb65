package io.skywatch.bench;

import static io.skywatch.testing.Auth.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import io.skywatch.config.SkywatchConfig;
import io.skywatch.problem.ProblemException;
import io.skywatch.rockets.RocketMessageCodec;
import io.skywatch.rockets.RocketMessagesResource;
import io.skywatch.sensors.SensorReadingCodec;
import io.skywatch.sensors.SensorReadingsResource;
import io.skywatch.testing.TopicContents;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The load tests' HTTP ceiling: off unless configured, and when on it validates like ingest and publishes nothing. */
@QuarkusTest
class DiscardResourceTest {

    @Inject
    SkywatchConfig config;

    @Inject
    RocketMessageCodec rocketCodec;

    @Inject
    SensorReadingCodec sensorCodec;

    @ConfigProperty(name = "skywatch.rockets.topic")
    String rocketsTopic;

    @Test
    void offByDefault() {
        for (String path : new String[] {"/bench/discard/messages", "/bench/discard/sensors/readings"}) {
            given().contentType("application/json")
                    .body("{}")
                    .post(path)
                    .then()
                    .statusCode(404)
                    .contentType("application/problem+json")
                    .body("detail", containsString("skywatch.bench.discard-endpoints=true"));
        }
    }

    @Test
    void whenOnItValidatesLikeIngestAndPublishesNothing() {
        DiscardResource discard = new DiscardResource(true, config, rocketCodec, sensorCodec);
        String channel = UUID.randomUUID().toString();
        String message = "{\"metadata\":{\"channel\":\"" + channel + "\",\"messageNumber\":1,"
                + "\"messageTime\":\"2022-02-02T19:39:05Z\",\"messageType\":\"RocketLaunched\"},"
                + "\"message\":{\"type\":\"Falcon-9\",\"launchSpeed\":500,\"mission\":\"ARTEMIS\"}}";

        Response accepted = discard.rocketMessage("application/json", message.getBytes(StandardCharsets.UTF_8));
        assertThat(accepted.getStatus()).isEqualTo(202);
        assertThat(accepted.getEntity()).isEqualTo(new RocketMessagesResource.Accepted(channel, 1));

        assertThatThrownBy(() -> discard.rocketMessage(
                        "application/json",
                        message.replace("RocketLaunched", "Nope").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        refused -> assertThat(refused.status()).isEqualTo(422));
        Response batch = discard.sensorReadings(
                "application/json",
                ("[{\"stationId\":\"st-1\",\"timestamp\":\"2026-11-20T10:00:00Z\",\"pm2_5\":3},"
                                + "{\"stationId\":\"st-1\",\"timestamp\":\"2026-11-20T10:00:01Z\",\"pm2_5\":-3}]")
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(batch.getStatus()).isEqualTo(202);
        assertThat(((SensorReadingsResource.BatchResult) batch.getEntity()).accepted())
                .isEqualTo(1);

        assertThat(TopicContents.readAll(rocketsTopic))
                .extracting(ConsumerRecord::key)
                .doesNotContain(channel);
    }
}
