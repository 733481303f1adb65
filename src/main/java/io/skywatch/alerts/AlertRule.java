package io.skywatch.alerts;

import io.quarkus.mongodb.panache.common.MongoEntity;
import java.time.Instant;
import org.bson.codecs.pojo.annotations.BsonId;

/**
 * A threshold rule: an alert is raised when a reading of {@code metric} goes above {@code raiseAbove}, and
 * cleared only once it falls below {@code clearBelow} (hysteresis); after a clear, the same rule and station
 * stay quiet for {@code coolDownSeconds} so a value flapping around the threshold does not spam. Scoped to a
 * station or a district when those are set.
 */
@MongoEntity(collection = AlertRule.COLLECTION)
public class AlertRule {

    public static final String COLLECTION = "alert_rules";

    @BsonId
    public String id;

    public String metric;
    public Severity severity;
    public double raiseAbove;
    public double clearBelow;
    public String stationId;
    public String district;
    public long coolDownSeconds;
    /** Where the threshold comes from (guideline, regulation, operator decision). */
    public String source;

    public Instant updatedAt;

    boolean appliesTo(String station, String stationDistrict, String readingMetric) {
        return metric.equals(readingMetric)
                && (stationId == null || stationId.equals(station))
                && (district == null || district.equals(stationDistrict));
    }
}
