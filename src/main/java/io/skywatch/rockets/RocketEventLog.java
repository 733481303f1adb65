package io.skywatch.rockets;

import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Sorts;
import io.quarkus.mongodb.FindOptions;
import io.quarkus.mongodb.panache.reactive.ReactivePanacheMongoRepository;
import io.skywatch.mongo.MongoErrors;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.bson.Document;

/** Every distinct rocket message, once: the durable record the projections can always be rebuilt from. */
@ApplicationScoped
public class RocketEventLog implements ReactivePanacheMongoRepository<RocketEvent> {

    private static final int POINT_LOOKUP_LIMIT = 500;

    Uni<Void> createIndexes() {
        return mongoCollection()
                .createIndex(Indexes.ascending("channel", "messageNumber"), new IndexOptions().unique(true))
                .replaceWithVoid();
    }

    /**
     * Stores the events; ones already stored (a redelivery, a duplicate send) are skipped by the unique index.
     * Completes only when every event is durable, so the caller may then commit their offsets.
     */
    Uni<Void> storeAll(List<RocketEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return mongoCollection()
                .insertMany(events, new InsertManyOptions().ordered(false))
                .replaceWithVoid()
                .onFailure(MongoErrors::onlyDuplicateKeys)
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** Events of a channel with numbers above {@code after}, in order. */
    Uni<List<RocketEvent>> page(String channel, long after, int limit) {
        Document filter = new Document("channel", channel).append("messageNumber", new Document("$gt", after));
        return mongoCollection()
                .find(
                        filter,
                        new FindOptions().sort(Sorts.ascending("messageNumber")).limit(limit))
                .collect()
                .asList();
    }

    /**
     * The stored events of a channel numbered above {@code after} up to {@code last}, in order: the input of a
     * rebuild. Short spans are read number by number, each a lookup on the unique index (which the embedded
     * server can use, unlike a range); long spans as one range query.
     */
    Uni<List<RocketEvent>> between(String channel, long after, long last) {
        if (last - after <= POINT_LOOKUP_LIMIT) {
            List<Uni<RocketEvent>> lookups = new java.util.ArrayList<>();
            for (long number = after + 1; number <= last; number++) {
                lookups.add(mongoCollection()
                        .find(new Document("channel", channel).append("messageNumber", number))
                        .collect()
                        .first());
            }
            if (lookups.isEmpty()) {
                return Uni.createFrom().item(List.of());
            }
            return Uni.join()
                    .all(lookups)
                    .andFailFast()
                    .map(found ->
                            found.stream().filter(java.util.Objects::nonNull).toList());
        }
        Document filter = new Document("channel", channel)
                .append("messageNumber", new Document("$gt", after).append("$lte", last));
        return mongoCollection()
                .find(filter, new FindOptions().sort(Sorts.ascending("messageNumber")))
                .collect()
                .asList();
    }

    Uni<Boolean> hasAny(String channel) {
        return mongoCollection()
                .find(new Document("channel", channel), new FindOptions().limit(1))
                .collect()
                .first()
                .map(event -> event != null);
    }
}
