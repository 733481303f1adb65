package io.skywatch.emitters;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Generated rockets keep the challenge's rules, and their expected state is what replaying them gives. */
class RocketScriptTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void messagesFollowTheRulesAndReplayToTheExpectedState() throws Exception {
        Random random = new Random(8);
        int exploded = 0;
        for (int i = 0; i < 300; i++) {
            RocketScript script =
                    RocketScript.generate("c-" + i, 60, 0.3, Instant.parse("2026-11-25T10:00:00Z"), random);
            String type = null;
            String mission = null;
            long speed = 0;
            String status = null;
            String reason = null;
            Instant last = null;
            int number = 0;
            for (String text : script.messages()) {
                assertThat(status).as("nothing after an explosion").isNotEqualTo("EXPLODED");
                JsonNode message = JSON.readTree(text);
                JsonNode body = message.path("message");
                assertThat(message.at("/metadata/messageNumber").asInt()).isEqualTo(++number);
                last = OffsetDateTime.parse(message.at("/metadata/messageTime").asText())
                        .toInstant();
                switch (message.at("/metadata/messageType").asText()) {
                    case "RocketLaunched" -> {
                        assertThat(number).isEqualTo(1);
                        type = body.path("type").asText();
                        mission = body.path("mission").asText();
                        speed = body.path("launchSpeed").asLong();
                        status = "LAUNCHED";
                    }
                    case "RocketSpeedIncreased" -> speed += body.path("by").asLong();
                    case "RocketSpeedDecreased" -> speed -= body.path("by").asLong();
                    case "RocketMissionChanged" ->
                        mission = body.path("newMission").asText();
                    case "RocketExploded" -> {
                        status = "EXPLODED";
                        reason = body.path("reason").asText();
                    }
                    default -> throw new AssertionError(text);
                }
                assertThat(number == 1
                                || !message.at("/metadata/messageType").asText().equals("RocketLaunched"))
                        .isTrue();
                assertThat(speed % 500).as("speed in steps of 500").isZero();
                assertThat(speed).as("speed never below 500").isGreaterThanOrEqualTo(500);
            }
            exploded += "EXPLODED".equals(status) ? 1 : 0;
            RocketScript.Expected expected = script.expected();
            assertThat(expected.type()).isEqualTo(type);
            assertThat(expected.mission()).isEqualTo(mission);
            assertThat(expected.speed()).isEqualTo(speed);
            assertThat(expected.status()).isEqualTo(status);
            assertThat(expected.explosionReason()).isEqualTo(reason);
            assertThat(expected.lastMessageNumber()).isEqualTo(number);
            assertThat(expected.lastMessageTime()).isEqualTo(last);
        }
        assertThat(exploded).as("rockets that exploded, of 300 at 0.3").isBetween(60, 120);
    }

    @Test
    void sendingOrderShufflesWithinWindowsAndRepeatsSomeMessages() {
        RocketScript script = RocketScript.generate("c", 200, 0, Instant.EPOCH, new Random(1));
        List<Integer> order = script.sendingOrder(0.1, 10, new Random(2));
        List<Integer> distinct = new ArrayList<>(order.stream().distinct().toList());
        Collections.sort(distinct);
        assertThat(distinct).hasSize(200).first().isEqualTo(1);
        assertThat(order.size() - 200).as("duplicates").isBetween(8, 35);
        assertThat(order.subList(0, 10)).isNotEqualTo(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
        for (int position = 0; position < order.size(); position++) {
            // Nothing travels further than its window (plus the duplicates inserted before it).
            assertThat(Math.abs(order.get(position) - 1 - position)).isLessThan(10 + 40);
        }
        assertThat(script.sendingOrder(0, 1, new Random(3))).isEqualTo(distinct);
    }
}
