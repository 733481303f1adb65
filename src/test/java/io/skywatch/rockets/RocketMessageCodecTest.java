package io.skywatch.rockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.skywatch.problem.Problem;
import io.skywatch.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RocketMessageCodecTest {

    private final RocketMessageCodec codec = new RocketMessageCodec(new ObjectMapper());

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static final String LAUNCH = """
            {"metadata":{"channel":"193270a9-c9cf-404a-8f83-838e71d9ae67","messageNumber":1,
             "messageTime":"2022-02-02T19:39:05.86337+01:00","messageType":"RocketLaunched"},
             "message":{"type":"Falcon-9","launchSpeed":500,"mission":"ARTEMIS"}}""";

    @Test
    void readsTheChallengeExample() {
        RocketMessage message = codec.read(bytes(LAUNCH));

        assertThat(message.channel()).isEqualTo("193270a9-c9cf-404a-8f83-838e71d9ae67");
        assertThat(message.messageNumber()).isEqualTo(1);
        assertThat(message.messageType()).isEqualTo(RocketMessageType.RocketLaunched);
        assertThat(message.messageTime().getOffset().getTotalSeconds()).isEqualTo(3600);
        assertThat(message.message().get("launchSpeed").asLong()).isEqualTo(500);
    }

    @Test
    void canonicalFormReadsBackToTheSameMessage() {
        RocketMessage message = codec.read(bytes(LAUNCH));

        assertThat(codec.read(bytes(codec.write(message)))).isEqualTo(message);
    }

    @Test
    void timeOnTheMinuteKeepsItsSecondsInTheCanonicalForm() {
        RocketMessage message = codec.read(bytes(LAUNCH.replace("19:39:05.86337", "19:40:00")));

        assertThat(codec.write(message)).contains("\"2022-02-02T19:40:00+01:00\"");
        assertThat(codec.read(bytes(codec.write(message)))).isEqualTo(message);
    }

    @Test
    void wrongBodyTypeNamesTheField() {
        String body = LAUNCH.replace("\"launchSpeed\":500", "\"launchSpeed\":\"fast\"");

        assertThatThrownBy(() -> codec.read(bytes(body))).isInstanceOfSatisfying(ProblemException.class, problem -> {
            assertThat(problem.status()).isEqualTo(422);
            assertThat(problem.toProblem().errors())
                    .extracting(Problem.FieldError::field)
                    .containsExactly("$.message.launchSpeed");
        });
    }

    @Test
    void missingMetadataFieldIsNamed() {
        String body = LAUNCH.replace("\"messageNumber\":1,", "");

        assertThatThrownBy(() -> codec.read(bytes(body))).isInstanceOfSatisfying(ProblemException.class, problem -> {
            assertThat(problem.toProblem().errors())
                    .extracting(Problem.FieldError::field)
                    .containsExactly("$.metadata.messageNumber");
        });
    }

    @Test
    void malformedJsonIsABadRequest() {
        assertThatThrownBy(() -> codec.read(bytes("{\"metadata\":")))
                .isInstanceOfSatisfying(ProblemException.class, problem -> {
                    assertThat(problem.status()).isEqualTo(400);
                    assertThat(problem.getMessage()).startsWith("Body is not valid JSON");
                });
    }
}
