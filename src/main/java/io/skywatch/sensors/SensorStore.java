package io.skywatch.sensors;

import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Sorts;
import io.quarkus.mongodb.FindOptions;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.mongodb.reactive.ReactiveMongoCollection;
import io.quarkus.runtime.StartupEvent;
import io.skywatch.mongo.ConditionalBulkWrite;
import io.skywatch.mongo.MongoErrors;
import io.skywatch.sequencing.VersionedStates;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The sensors collections: readings (once each), station state (versioned), station registry. */
@ApplicationScoped
public class SensorStore {

    private final ReactiveMongoCollection<StoredReading> readings;
    private final ReactiveMongoCollection<StationState> states;
    private final ReactiveMongoCollection<Station> stations;

    public SensorStore(ReactiveMongoClient mongo, @ConfigProperty(name = "quarkus.mongodb.database") String database) {
        var db = mongo.getDatabase(database);
        this.readings = db.getCollection(StoredReading.COLLECTION, StoredReading.class);
        this.states = db.getCollection(StationState.COLLECTION, StationState.class);
        this.stations = db.getCollection(Station.COLLECTION, Station.class);
    }

    // Before messaging starts its consumers (priority 1000): the unique index must exist before the first insert.
    void createIndexes(@Observes @Priority(500) StartupEvent startup) {
        readings.createIndex(Indexes.ascending("stationId", "dedupeKey"), new IndexOptions().unique(true))
                .chain(() -> readings.createIndex(Indexes.ascending("stationId", "timestamp")))
                // See RocketProjections: lets the embedded server serve versioned writes from an index.
                .chain(() -> states.createIndex(Indexes.ascending("_id", "version"), new IndexOptions().unique(true)))
                .await()
                .atMost(Duration.ofSeconds(60));
    }

    /** Stores the readings; ones stored before (redelivery, resend) are skipped by the unique index. */
    Uni<Void> storeAll(List<StoredReading> batch) {
        if (batch.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return readings.insertMany(batch, new InsertManyOptions().ordered(false))
                .replaceWithVoid()
                .onFailure(MongoErrors::onlyDuplicateKeys)
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** Registers a station on its first reading; one registered meanwhile (API or replica) is left alone. */
    Uni<Void> registerIfAbsent(String stationId) {
        Station station = new Station();
        station.id = stationId;
        station.name = stationId;
        station.autoRegistered = true;
        station.registeredAt = Instant.now();
        station.updatedAt = station.registeredAt;
        return stations.insertOne(station)
                .replaceWithVoid()
                .onFailure(MongoErrors::isDuplicateKey)
                .recoverWithNull()
                .replaceWithVoid();
    }

    /**
     * The open windows of stations that measured at or after {@code since} (a window holds no reading later
     * than its station's watermark), as state documents holding only their windows.
     */
    public Uni<List<StationState>> openWindowsSince(Instant since) {
        return states.find(
                        new Document("windows.watermark", new Document("$gte", since)),
                        new FindOptions().projection(new Document("windows", 1)))
                .collect()
                .asList();
    }

    /** Every registered station's district, by station id; stations without one are left out. */
    public Uni<Map<String, String>> districts() {
        return stations.find(
                        new Document("district", new Document("$ne", null)),
                        new FindOptions().projection(new Document("district", 1)))
                .collect()
                .asMap(station -> station.id, station -> station.district);
    }

    /**
     * Stations that may need the sweeper: waiting for a missing number, or with windows and no reading since
     * {@code quietSince}. Only what the sweeper looks at is read.
     */
    Uni<List<StationState>> sweepCandidates(Instant quietSince) {
        Document filter = new Document(
                "$or",
                List.of(
                        new Document("waitingSince", new Document("$ne", null)),
                        new Document("updatedAt", new Document("$lte", quietSince))
                                .append("windows.watermark", new Document("$ne", null))));
        return states.find(
                        filter,
                        new FindOptions()
                                .projection(new Document("waitingSince", 1)
                                        .append("updatedAt", 1)
                                        .append("windows", 1)))
                .collect()
                .asList();
    }

    Uni<StationState> state(String stationId) {
        return states.find(new Document("_id", stationId)).collect().first();
    }

    Uni<Boolean> compareAndSet(long expectedVersion, StationState next) {
        if (expectedVersion == 0) {
            return states.insertOne(next)
                    .replaceWith(true)
                    .onFailure(MongoErrors::isDuplicateKey)
                    .recoverWithItem(false);
        }
        Bson current = new Document("_id", next.stationId).append("version", expectedVersion);
        return states.replaceOne(current, next).map(result -> result.getMatchedCount() == 1);
    }

    /** {@link #compareAndSet} for the stations of one batch, in one round trip; one outcome per write, in order. */
    Uni<List<Boolean>> compareAndSetAll(List<VersionedStates.Write<StationState>> writes) {
        return ConditionalBulkWrite.compareAndSetAll(states, next -> next.stationId, "version", writes);
    }

    /** The latest values of these stations, by station id; stations without readings are left out. */
    Uni<Map<String, Map<String, StationState.LatestValue>>> latestValues(List<String> stationIds) {
        if (stationIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return states.find(
                        new Document("_id", new Document("$in", stationIds)),
                        new FindOptions().projection(new Document("latest", 1)))
                .collect()
                .asMap(state -> state.stationId, state -> state.latest);
    }

    Uni<Station> station(String id) {
        return stations.find(new Document("_id", id)).collect().first();
    }

    Uni<List<Station>> stations(String district, int offset, int limit) {
        Document filter = district == null ? new Document() : new Document("district", district);
        return stations.find(
                        filter,
                        new FindOptions()
                                .sort(Sorts.ascending("_id"))
                                .skip(offset)
                                .limit(limit))
                .collect()
                .asList();
    }

    /** Inserts or replaces a registration; returns true when it was new. */
    Uni<Boolean> saveStation(Station station) {
        return stations.replaceOne(
                        new Document("_id", station.id),
                        station,
                        new com.mongodb.client.model.ReplaceOptions().upsert(true))
                .map(result -> result.getUpsertedId() != null);
    }

    /** A station's readings measured in {@code [from, to)}, oldest first. */
    Uni<List<StoredReading>> readings(String stationId, Instant from, Instant to, int limit) {
        Document filter =
                new Document("stationId", stationId).append("timestamp", new Document("$gte", from).append("$lt", to));
        return readings.find(
                        filter,
                        new FindOptions().sort(Sorts.ascending("timestamp")).limit(limit))
                .collect()
                .asList();
    }
}
