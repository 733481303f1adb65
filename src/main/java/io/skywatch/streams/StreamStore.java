package io.skywatch.streams;

import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Sorts;
import io.quarkus.mongodb.FindOptions;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.mongodb.reactive.ReactiveMongoCollection;
import io.quarkus.runtime.StartupEvent;
import io.skywatch.mongo.MongoErrors;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The {@code stream_definitions} and {@code stream_events} collections. */
@ApplicationScoped
public class StreamStore {

    private final ReactiveMongoCollection<StreamDefinition> definitions;
    private final ReactiveMongoCollection<StoredStreamEvent> events;

    public StreamStore(ReactiveMongoClient mongo, @ConfigProperty(name = "quarkus.mongodb.database") String database) {
        var db = mongo.getDatabase(database);
        this.definitions = db.getCollection(StreamDefinition.COLLECTION, StreamDefinition.class);
        this.events = db.getCollection(StoredStreamEvent.COLLECTION, StoredStreamEvent.class);
    }

    void createIndexes(@Observes @Priority(500) StartupEvent startup) {
        events.createIndex(Indexes.ascending("stream", "dedupeKey"), new IndexOptions().unique(true))
                // Serves the time-range pages with their tie-break, so Mongo sorts nothing in memory.
                .chain(() -> events.createIndex(Indexes.ascending("stream", "time", "sequence", "_id")))
                .await()
                .atMost(Duration.ofSeconds(60));
    }

    Uni<List<StreamDefinition>> definitions() {
        return definitions
                .find(new Document(), new FindOptions().sort(Sorts.ascending("_id")))
                .collect()
                .asList();
    }

    Uni<StreamDefinition> definition(String name) {
        return definitions.find(new Document("_id", name)).collect().first();
    }

    /** Inserts a definition; false when one of that name exists. */
    Uni<Boolean> insert(StreamDefinition definition) {
        return definitions
                .insertOne(definition)
                .replaceWith(true)
                .onFailure(MongoErrors::isDuplicateKey)
                .recoverWithItem(false);
    }

    /** Replaces a definition; false when there is none of that name. */
    Uni<Boolean> replace(StreamDefinition definition) {
        return definitions
                .replaceOne(new Document("_id", definition.name), definition)
                .map(result -> result.getMatchedCount() == 1);
    }

    Uni<Boolean> delete(String name) {
        return definitions.deleteOne(new Document("_id", name)).map(result -> result.getDeletedCount() == 1);
    }

    /** Stores events; ones stored before (redelivery, resend recognised by its dedupe key) are left as they are. */
    Uni<Void> storeAll(List<StoredStreamEvent> batch) {
        if (batch.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return events.insertMany(batch, new InsertManyOptions().ordered(false))
                .replaceWithVoid()
                .onFailure(MongoErrors::onlyDuplicateKeys)
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** A stream's stored events with these dedupe keys. */
    Uni<List<StoredStreamEvent>> stored(String stream, List<String> dedupeKeys) {
        return events.find(new Document("stream", stream).append("dedupeKey", new Document("$in", dedupeKeys)))
                .collect()
                .asList();
    }

    Uni<Void> markPublished(String stream, List<String> dedupeKeys) {
        if (dedupeKeys.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return events.updateMany(
                        new Document("stream", stream).append("dedupeKey", new Document("$in", dedupeKeys)),
                        new Document("$set", new Document("published", true)))
                .replaceWithVoid();
    }

    /**
     * A stream's stored events in time order, optionally of one key; times bound {@code [from, to)}. Events are
     * stored as they arrive, not as they are sequenced, and emitters stamp whole batches with one time: a key's
     * events of the same time come in sequence order, then in storage order, so a page never shuffles them.
     */
    Uni<List<StoredStreamEvent>> events(String stream, String key, Date from, Date to, int limit) {
        Document filter = new Document("stream", stream).append("time", new Document("$gte", from).append("$lt", to));
        if (key != null) {
            filter.append("key", key);
        }
        return events.find(
                        filter,
                        new FindOptions()
                                .sort(Sorts.ascending("time", "sequence", "_id"))
                                .limit(limit))
                .collect()
                .asList();
    }

    /** Deletes a stream's stored events; returns how many. */
    Uni<Long> purge(String stream) {
        return events.deleteMany(new Document("stream", stream)).map(result -> result.getDeletedCount());
    }
}
