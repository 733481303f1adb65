package io.skywatch.aggregates;

import io.quarkus.mongodb.panache.common.MongoEntity;
import java.time.Instant;
import java.util.Map;
import org.bson.codecs.pojo.annotations.BsonId;

/**
 * A closed window of one station: the summary of every metric it reported in {@code [start, end)}. Its id is
 * derived from the station, the size and the start, so storing it again (a replayed batch) changes nothing.
 */
@MongoEntity(collection = WindowAggregate.COLLECTION)
public class WindowAggregate {

    public static final String COLLECTION = "sensor_aggregates";

    @BsonId
    public String id;

    public String stationId;
    /** {@code 1m} or {@code 1h}. */
    public String window;

    public Instant start;
    public Instant end;
    public Map<String, Stats> metrics;

    static WindowAggregate of(String stationId, StationWindows.Closed closed) {
        WindowAggregate aggregate = new WindowAggregate();
        aggregate.id =
                stationId + "|" + closed.size().label() + "|" + closed.start().toEpochMilli();
        aggregate.stationId = stationId;
        aggregate.window = closed.size().label();
        aggregate.start = closed.start();
        aggregate.end = closed.size().endOf(closed.start());
        aggregate.metrics = closed.metrics();
        return aggregate;
    }
}
