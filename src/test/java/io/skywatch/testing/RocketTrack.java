package io.skywatch.testing;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;

/**
 * One generated rocket channel: a valid history (launch first, numbers from 1 without gaps, speed changes,
 * mission changes, at most one explosion, messages after an explosion change nothing) and, computed here
 * independently of the gateway, the state that applying it in order must give.
 */
public final class RocketTrack {

    private static final String[] TYPES = {"Falcon-9", "Falcon-Heavy", "Saturn-V", "Ariane-6", "Vulcan"};
    private static final String[] MISSIONS = {"ARTEMIS", "GEMINI", "APOLLO", "DRAGON", "JUNO", "CASSINI"};
    private static final String[] REASONS = {"PRESSURE_VESSEL_FAILURE", "ENGINE_FAILURE", "GUIDANCE_LOST"};

    public final String channel;
    /** Message bodies; index 0 is message number 1. */
    public final String[] messages;

    public String type;
    public String mission;
    public long speed;
    public String status;
    public String explosionReason;

    public RocketTrack(String channel, int length, Random random) {
        this.channel = channel;
        this.messages = new String[length];
        OffsetDateTime time = OffsetDateTime.of(2022, 2, 2, 19, 39, 5, 0, ZoneOffset.ofHours(1));
        // A quarter of the rockets explode part-way; what they are sent afterwards must change nothing.
        int explodeAt = length > 20 && random.nextInt(4) == 0 ? 10 + random.nextInt(length - 15) : -1;
        for (int number = 1; number <= length; number++) {
            time = time.plusNanos(1_000_000_000L + random.nextInt(1000) * 1000L);
            String messageType;
            String body;
            boolean frozen = "EXPLODED".equals(status);
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
                status = "EXPLODED";
                explosionReason = reason;
            } else {
                int pick = random.nextInt(10);
                if (pick < 2) {
                    String newMission = MISSIONS[random.nextInt(MISSIONS.length)];
                    messageType = "RocketMissionChanged";
                    body = "{\"newMission\":\"%s\"}".formatted(newMission);
                    mission = frozen ? mission : newMission;
                } else if (pick < 6 || speed <= 1000) {
                    long by = 100L * (1 + random.nextInt(9));
                    messageType = "RocketSpeedIncreased";
                    body = "{\"by\":%d}".formatted(by);
                    speed = frozen ? speed : speed + by;
                } else {
                    long by = 100L * (1 + random.nextInt(5));
                    messageType = "RocketSpeedDecreased";
                    body = "{\"by\":%d}".formatted(by);
                    speed = frozen ? speed : speed - by;
                }
            }
            messages[number - 1] = """
                    {"metadata":{"channel":"%s","messageNumber":%d,"messageTime":"%s","messageType":"%s"},\
                    "message":%s}""".formatted(
                            channel, number, DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time), messageType, body);
        }
    }

    public int length() {
        return messages.length;
    }

    /**
     * How a rocket as {@code GET /rockets} lists it differs from this track's expected state (settled: nothing
     * pending or missing); empty when it matches.
     */
    public String differencesFrom(com.fasterxml.jackson.databind.JsonNode rocket) {
        java.util.List<String> d = new java.util.ArrayList<>();
        compare(
                d,
                "lastMessageNumber",
                length(),
                rocket.path("lastMessageNumber").asLong(-1));
        compare(d, "type", type, text(rocket, "type"));
        compare(d, "mission", mission, text(rocket, "mission"));
        compare(d, "speed", speed, rocket.path("speed").asLong(-1));
        compare(d, "status", status, text(rocket, "status"));
        compare(d, "explosionReason", explosionReason, text(rocket, "explosionReason"));
        compare(d, "pendingMessages", 0, rocket.path("pendingMessages").asInt(-1));
        compare(d, "missingCount", 0, rocket.path("missingCount").asLong(-1));
        return String.join(", ", d);
    }

    private static void compare(java.util.List<String> d, String field, Object expected, Object actual) {
        if (!java.util.Objects.equals(
                expected == null ? null : expected.toString(), actual == null ? null : actual.toString())) {
            d.add(field + " expected " + expected + " but was " + actual);
        }
    }

    private static String text(com.fasterxml.jackson.databind.JsonNode node, String field) {
        com.fasterxml.jackson.databind.JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
