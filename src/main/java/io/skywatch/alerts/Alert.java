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

    @BsonId
    public String id;

    public String ruleId;
    public String stationId;
    public String metric;
    public Severity severity;
    public State state;
    public double threshold;
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
