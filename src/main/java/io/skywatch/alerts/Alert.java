package io.skywatch.alerts;

import io.quarkus.mongodb.panache.common.MongoEntity;
import java.time.Instant;
import org.bson.codecs.pojo.annotations.BsonId;

/**
 * A breach of a rule by a station: raised by the reading that crossed the threshold, updated while it lasts,
 * cleared by the reading that fell below the clearing level. Its id is derived from the station, the rule and
 * the raising reading's time, so writing it again (a retried batch, a replay) changes nothing.
 */
@MongoEntity(collection = Alert.COLLECTION)
public class Alert {

    public static final String COLLECTION = "alerts";

    /** Whether the breach is still going on. */
    public enum State {
        OPEN,
        CLEARED
    }

    /** What raised it. */
    public enum Kind {
        /** A value above a rule's threshold. */
        THRESHOLD,
        /** A value far from the station's recent readings of the metric (z-score). */
        OUTLIER,
        /** A sensor repeating the same value: probably stuck. */
        FLATLINE
    }

    @BsonId
    public String id;

    public Kind kind;

    public String ruleId;
    public String stationId;
    public String metric;
    public Severity severity;
    public State state;
    /** The rule's threshold, in the metric's unit; none for outliers and flat lines. */
    public Double threshold;
    /** For outliers, the z-score (at the peak while open); for flat lines, 1. */
    public Double score;
    /** The value that raised it. */
    public double raisedValue;
    /** The highest value while it was open. */
    public double peakValue;

    public double lastValue;
    /** Measurement time of the reading that raised it. */
    public Instant raisedAt;
    /** Measurement time of the reading that cleared it. */
    public Instant clearedAt;

    public Instant updatedAt;

    static String idOf(String stationId, String ruleId, Instant raisedAt) {
        return stationId + "|" + ruleId + "|" + raisedAt.toEpochMilli();
    }
}
