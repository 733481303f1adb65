package io.skywatch.emitters;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * One rocket's messages, valid by the Rockets challenge's rules, and the state that applying them in order must
 * give: numbers from 1 without gaps, the launch first, speed changes in steps of 500 that never take the speed
 * below 500, mission changes, and at most one explosion, after which the rocket sends nothing more.
 */
public final class RocketScript {

    /** The state {@code GET /rockets} must show once every message has been applied. */
    public record Expected(
            String channel,
            String type,
            String mission,
            long speed,
            String status,
            String explosionReason,
            long lastMessageNumber,
            Instant launchTime,
            Instant lastMessageTime) {}

    static final long SPEED_STEP = 500;
    private static final String[] TYPES = {"Falcon-9", "Falcon-Heavy", "Starship", "Ariane-6", "Vulcan", "New-Glenn"};
    private static final String[] MISSIONS = {"ARTEMIS", "GEMINI", "APOLLO", "DRAGON", "JUNO", "CASSINI", "VOYAGER"};
    private static final String[] REASONS = {"PRESSURE_VESSEL_FAILURE", "ENGINE_FAILURE", "GUIDANCE_LOST"};
    // The challenge's own example offset: message times keep it, stored times are UTC.
    private static final ZoneOffset OFFSET = ZoneOffset.ofHours(1);

    private final String channel;
    private final List<String> messages;
    private final Expected expected;

    private RocketScript(String channel, List<String> messages, Expected expected) {
        this.channel = channel;
        this.messages = messages;
        this.expected = expected;
    }

    /**
     * @param maxMessages messages if the rocket does not explode; an exploding one stops at its explosion
     * @param explosionChance chance that the rocket explodes, at a number drawn uniformly from 2 to maxMessages
     * @param start time of the launch message, whole milliseconds so stored (millisecond) times compare equal
     */
    public static RocketScript generate(
            String channel, int maxMessages, double explosionChance, Instant start, Random random) {
        if (maxMessages < 1) {
            throw new IllegalArgumentException("a rocket sends at least its launch");
        }
        int explodeAt =
                maxMessages >= 2 && random.nextDouble() < explosionChance ? 2 + random.nextInt(maxMessages - 1) : -1;
        int length = explodeAt > 0 ? explodeAt : maxMessages;
        String type = TYPES[random.nextInt(TYPES.length)];
        String mission = MISSIONS[random.nextInt(MISSIONS.length)];
        long speed = SPEED_STEP * (1 + random.nextInt(4));
        String status = "LAUNCHED";
        String reason = null;
        List<String> messages = new ArrayList<>(length);
        OffsetDateTime time = start.atOffset(OFFSET);
        OffsetDateTime launchTime = time;
        for (int number = 1; number <= length; number++) {
            if (number > 1) {
                time = time.plusNanos((1000L + random.nextInt(2000)) * 1_000_000L);
            }
            String messageType;
            String body;
            if (number == 1) {
                messageType = "RocketLaunched";
                body = "{\"type\":\"%s\",\"launchSpeed\":%d,\"mission\":\"%s\"}".formatted(type, speed, mission);
            } else if (number == explodeAt) {
                reason = REASONS[random.nextInt(REASONS.length)];
                status = "EXPLODED";
                messageType = "RocketExploded";
                body = "{\"reason\":\"%s\"}".formatted(reason);
            } else {
                int pick = random.nextInt(10);
                if (pick < 2) {
                    mission = MISSIONS[random.nextInt(MISSIONS.length)];
                    messageType = "RocketMissionChanged";
                    body = "{\"newMission\":\"%s\"}".formatted(mission);
                } else if (pick < 6 || speed == SPEED_STEP) {
                    long by = SPEED_STEP * (1 + random.nextInt(3));
                    speed += by;
                    messageType = "RocketSpeedIncreased";
                    body = "{\"by\":%d}".formatted(by);
                } else {
                    long most = (speed - SPEED_STEP) / SPEED_STEP;
                    long by = SPEED_STEP * (1 + random.nextInt((int) Math.min(3, most)));
                    speed -= by;
                    messageType = "RocketSpeedDecreased";
                    body = "{\"by\":%d}".formatted(by);
                }
            }
            messages.add(
                    "{\"metadata\":{\"channel\":\"%s\",\"messageNumber\":%d,\"messageTime\":\"%s\",\"messageType\":\"%s\"},\"message\":%s}"
                            .formatted(
                                    channel,
                                    number,
                                    DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time),
                                    messageType,
                                    body));
        }
        Expected expected = new Expected(
                channel, type, mission, speed, status, reason, length, launchTime.toInstant(), time.toInstant());
        return new RocketScript(channel, List.copyOf(messages), expected);
    }

    /**
     * The order in which the messages are sent: numbers shuffled within consecutive windows of
     * {@code reorderWindow} (1 = in order), and each message sent a second time with chance {@code duplicateRate},
     * up to a window later, as an emitter that retransmits would.
     */
    public List<Integer> sendingOrder(double duplicateRate, int reorderWindow, Random random) {
        int window = Math.max(1, reorderWindow);
        List<Integer> order = new ArrayList<>();
        for (int n = 1; n <= messages.size(); n++) {
            order.add(n);
        }
        for (int from = 0; from < order.size(); from += window) {
            Collections.shuffle(order.subList(from, Math.min(from + window, order.size())), random);
        }
        if (duplicateRate > 0) {
            List<Integer> withCopies = new ArrayList<>(order);
            for (int i = order.size() - 1; i >= 0; i--) {
                if (random.nextDouble() < duplicateRate) {
                    int at = Math.min(withCopies.size(), i + 1 + random.nextInt(window));
                    withCopies.add(at, order.get(i));
                }
            }
            order = withCopies;
        }
        return order;
    }

    public String channel() {
        return channel;
    }

    /** Message bodies; index 0 is number 1. */
    public List<String> messages() {
        return messages;
    }

    public Expected expected() {
        return expected;
    }
}
