package io.skywatch.sensors;

import java.time.OffsetDateTime;
import java.util.Map;

/**
 * A validated station reading.
 *
 * @param stationId the station, which is the ordering and partitioning key
 * @param timestamp when the station measured, with its original offset
 * @param sequence the station's own counter from 1, when it keeps one; orders and deduplicates its readings
 * @param metrics measured values by metric name (at least one)
 */
public record SensorReading(String stationId, OffsetDateTime timestamp, Long sequence, Map<String, Double> metrics) {

    /** What identifies this reading among the station's: its sequence when it has one, else its time. */
    public String dedupeKey() {
        return sequence != null ? "seq:" + sequence : "ts:" + timestamp.toInstant();
    }
}
