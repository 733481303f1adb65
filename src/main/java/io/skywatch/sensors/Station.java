package io.skywatch.sensors;

import io.quarkus.mongodb.panache.common.MongoEntity;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.bson.codecs.pojo.annotations.BsonId;

/** A registered station: who and where it is. Written by the stations API, or on a first reading. */
@MongoEntity(collection = Station.COLLECTION)
public class Station {

    public static final String COLLECTION = "stations";

    @BsonId
    public String id;

    public String name;
    public Double latitude;
    public Double longitude;
    public String district;
    public Map<String, String> metadata = new HashMap<>();
    /** True when the station was registered by its first reading rather than through the API. */
    public boolean autoRegistered;

    public Instant registeredAt;
    public Instant updatedAt;
}
