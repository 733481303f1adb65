package io.skywatch.rockets;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A generated rocket channel and the state that applying its messages in order must give. The expected
 * state is computed here, independently of the gateway's projection code, so the two can disagree.
 */
final class RocketHistory {

    private static final String[] TYPES = {"Falcon-9", "Falcon-Heavy", "Saturn-V", "Ariane-6", "Vulcan"};
    private static final String[] MISSIONS = {"ARTEMIS", "GEMINI", "APOLLO", "DRAGON", "JUNO", "CASSINI"};
    private static final String[] REASONS = {"PRESSURE_VESSEL_FAILURE", "ENGINE_FAILURE", "GUIDANCE_LOST"};

    final String channel;
    final List<String> messages = new ArrayList<>();
    String type;
    String mission;
    long speed;
    String status;
    String explosionReason;

    RocketHistory(String channel, int length, Random random) {
        this.channel = channel;
        OffsetDateTime time = OffsetDateTime.of(2022, 2, 2, 19, 39, 5, 0, ZoneOffset.ofHours(1));
        // Some rockets explode part-way; messages after that are still sent and must change nothing.
        int explodeAt = random.nextInt(4) == 0 ? 50 + random.nextInt(length - 60) : -1;
        for (int number = 1; number <= length; number++) {
            time = time.plusSeconds(1);
            String messageType;
            String body;
            if (number == 1) {
                type = TYPES[random.nextInt(TYPES.length)];
                mission = MISSIONS[random.nextInt(MISSIONS.length)];
                speed = 500;
                status = "LAUNCHED";
                messageType = "RocketLaunched";
                body = "{\"type\":\"%s\",\"launchSpeed\":500,\"mission\":\"%s\"}".formatted(type, mission);
            } else if (number == explodeAt) {
                String reason = REASONS[random.nextInt(REASONS.length)];
                messageType = "RocketExploded";
                body = "{\"reason\":\"%s\"}".formatted(reason);
                if (status.equals("LAUNCHED")) {
                    status = "EXPLODED";
                    explosionReason = reason;
                }
            } else {
                int pick = random.nextInt(10);
                boolean frozen = status.equals("EXPLODED");
                if (pick < 2) {
                    String newMission = MISSIONS[random.nextInt(MISSIONS.length)];
                    messageType = "RocketMissionChanged";
                    body = "{\"newMission\":\"%s\"}".formatted(newMission);
                    mission = frozen ? mission : newMission;
                } else if (pick < 6 || speed <= 500) {
                    long by = 500L * (1 + random.nextInt(3));
                    messageType = "RocketSpeedIncreased";
                    body = "{\"by\":%d}".formatted(by);
                    speed = frozen ? speed : speed + by;
                } else {
                    messageType = "RocketSpeedDecreased";
                    body = "{\"by\":500}";
                    speed = frozen ? speed : speed - 500;
                }
            }
            messages.add("""
                    {"metadata":{"channel":"%s","messageNumber":%d,"messageTime":"%s","messageType":"%s"},\
                    "message":%s}""".formatted(
                            channel, number, DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time), messageType, body));
        }
    }
}
