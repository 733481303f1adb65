package io.skywatch.rockets;

import static org.assertj.core.api.Assertions.assertThat;

import org.bson.Document;
import org.junit.jupiter.api.Test;

class RocketProjectionTest {

    private static RocketEvent event(long number, RocketMessageType type, Document body) {
        RocketEvent event = new RocketEvent();
        event.channel = "r1";
        event.messageNumber = number;
        event.messageType = type.name();
        event.messageTime = "2022-02-02T19:39:0" + (number % 10) + "+01:00";
        event.message = body;
        return event;
    }

    @Test
    void appliesTheLifecycleOfARocket() {
        RocketProjection rocket = RocketProjection.newChannel("r1");

        rocket.apply(event(
                1,
                RocketMessageType.RocketLaunched,
                new Document("type", "Falcon-9").append("launchSpeed", 500).append("mission", "ARTEMIS")));
        rocket.apply(event(2, RocketMessageType.RocketSpeedIncreased, new Document("by", 3000)));
        rocket.apply(event(3, RocketMessageType.RocketSpeedDecreased, new Document("by", 1000)));
        rocket.apply(event(4, RocketMessageType.RocketMissionChanged, new Document("newMission", "GEMINI")));

        assertThat(rocket.type).isEqualTo("Falcon-9");
        assertThat(rocket.speed).isEqualTo(2500);
        assertThat(rocket.mission).isEqualTo("GEMINI");
        assertThat(rocket.status).isEqualTo(RocketStatus.LAUNCHED);
        assertThat(rocket.lastMessageNumber).isEqualTo(4);
        assertThat(rocket.launchTime).hasToString("2022-02-02T18:39:01Z");
    }

    @Test
    void explodedRocketIsFrozenButTheSequenceAdvances() {
        RocketProjection rocket = RocketProjection.newChannel("r1");
        rocket.apply(event(
                1,
                RocketMessageType.RocketLaunched,
                new Document("type", "Falcon-9").append("launchSpeed", 500).append("mission", "ARTEMIS")));
        rocket.apply(event(2, RocketMessageType.RocketExploded, new Document("reason", "PRESSURE_VESSEL_FAILURE")));

        rocket.apply(event(3, RocketMessageType.RocketSpeedIncreased, new Document("by", 500)));

        assertThat(rocket.status).isEqualTo(RocketStatus.EXPLODED);
        assertThat(rocket.explosionReason).isEqualTo("PRESSURE_VESSEL_FAILURE");
        assertThat(rocket.speed).isEqualTo(500);
        assertThat(rocket.lastMessageNumber).isEqualTo(3);
    }
}
