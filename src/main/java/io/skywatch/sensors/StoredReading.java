package io.skywatch.sensors;

import io.quarkus.mongodb.panache.common.MongoEntity;
import java.time.Instant;
import java.util.Map;
import org.bson.types.ObjectId;

/** One distinct reading, stored once (unique on station and dedupe key) for time-range queries. */
@MongoEntity(collection = StoredReading.COLLECTION)
public class StoredReading {

    public static final String COLLECTION = "sensor_readings";

    public ObjectId id;
    public String stationId;
    /** {@code seq:<n>} or {@code ts:<instant>}: what makes a resent reading a duplicate. */
    public String dedupeKey;

    public Instant timestamp;
    public Long sequence;
    public Map<String, Double> metrics;
    /** When the gateway accepted it (the Kafka record's timestamp). */
    public Instant acceptedAt;

    static StoredReading of(SensorReading reading, Instant acceptedAt) {
        StoredReading stored = new StoredReading();
        stored.stationId = reading.stationId();
        stored.dedupeKey = reading.dedupeKey();
        stored.timestamp = reading.timestamp().toInstant();
        stored.sequence = reading.sequence();
        stored.metrics = reading.metrics();
        stored.acceptedAt = acceptedAt;
        return stored;
    }
}
