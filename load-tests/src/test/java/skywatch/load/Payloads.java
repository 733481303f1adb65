package skywatch.load;

import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Request bodies as the Skywatch emitters send them; every run uses new channel and station ids. */
final class Payloads {

    private Payloads() {}

    static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    private static final AtomicLong ROCKET_MESSAGES = new AtomicLong();

    /**
     * The next rockets message: message i goes to channel i mod channels with number i / channels + 1, so every
     * channel's numbers are contiguous from 1 (launch first) however the requests interleave.
     */
    static Map<String, Object> nextRocketMessage(int channels) {
        long i = ROCKET_MESSAGES.getAndIncrement();
        String channel = "load-" + RUN + "-" + (i % channels);
        long number = i / channels + 1;
        String time = Instant.now().toString();
        String body = number == 1
                ? "{\"metadata\":{\"channel\":\"" + channel + "\",\"messageNumber\":1,\"messageTime\":\"" + time
                        + "\",\"messageType\":\"RocketLaunched\"},\"message\":{\"type\":\"Falcon-9\",\"launchSpeed\":500,"
                        + "\"mission\":\"ARTEMIS\"}}"
                : "{\"metadata\":{\"channel\":\"" + channel + "\",\"messageNumber\":" + number + ",\"messageTime\":\""
                        + time + "\",\"messageType\":\"RocketSpeedIncreased\"},\"message\":{\"by\":500}}";
        return Map.of("body", body);
    }

    /** A batch of station readings (seed-001 value ranges), as a JSON array or as NDJSON. */
    static Map<String, Object> nextReadingsBatch(int stations, int size, boolean ndjson) {
        Random random = ThreadLocalRandom.current();
        StringBuilder body = new StringBuilder(size * 220);
        if (!ndjson) {
            body.append('[');
        }
        String now = Instant.now().toString();
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                body.append(ndjson ? "\n" : ",");
            }
            body.append("{\"stationId\":\"load-")
                    .append(RUN)
                    .append('-')
                    .append(random.nextInt(stations))
                    .append("\",\"timestamp\":\"")
                    .append(now)
                    .append("\",\"temperature\":")
                    .append(round(25 + random.nextGaussian() * 2))
                    .append(",\"humidity\":")
                    .append(round(60 + random.nextGaussian() * 3))
                    .append(",\"pressure\":")
                    .append(round(1013 + random.nextGaussian() * 2))
                    .append(",\"air_quality\":")
                    .append(round(200 + random.nextGaussian() * 20))
                    .append(",\"particulate_matter\":")
                    .append(round(30 + random.nextGaussian() * 2))
                    .append(",\"noise_level\":")
                    .append(round(50 + random.nextGaussian() * 3))
                    .append('}');
        }
        if (!ndjson) {
            body.append(']');
        } else {
            body.append('\n');
        }
        return Map.of("body", body.toString());
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
