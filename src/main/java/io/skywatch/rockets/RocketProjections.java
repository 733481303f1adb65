package io.skywatch.rockets;

import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import io.quarkus.mongodb.FindOptions;
import io.quarkus.mongodb.panache.reactive.ReactivePanacheMongoRepositoryBase;
import io.skywatch.mongo.ConditionalBulkWrite;
import io.skywatch.mongo.MongoErrors;
import io.skywatch.sequencing.VersionedStates;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;

/** The {@code rockets} collection: one document per channel, written only through version checks. */
@ApplicationScoped
public class RocketProjections implements ReactivePanacheMongoRepositoryBase<RocketProjection, String> {

    /**
     * The (_id, version) index is redundant on real MongoDB (the _id index serves the conditional write),
     * but the embedded wire server only uses an index whose fields match the filter exactly; without it
     * every versioned write would scan the collection.
     */
    Uni<Void> createIndexes() {
        return mongoCollection()
                .createIndex(Indexes.ascending("_id", "version"), new IndexOptions().unique(true))
                .replaceWithVoid();
    }

    /**
     * Writes {@code next} if the stored document is still at {@code expectedVersion} (absent when 0).
     *
     * @return false when another writer got there first; the caller re-reads and recomputes
     */
    Uni<Boolean> compareAndSet(long expectedVersion, RocketProjection next) {
        if (expectedVersion == 0) {
            return mongoCollection()
                    .insertOne(next)
                    .replaceWith(true)
                    .onFailure(MongoErrors::isDuplicateKey)
                    .recoverWithItem(false);
        }
        Bson current = new Document("_id", next.channel).append("version", expectedVersion);
        return mongoCollection().replaceOne(current, next).map(result -> result.getMatchedCount() == 1);
    }

    /** {@link #compareAndSet} for a batch of channels, in one round trip; one outcome per write, in order. */
    Uni<List<Boolean>> compareAndSetAll(List<VersionedStates.Write<RocketProjection>> writes) {
        return ConditionalBulkWrite.compareAndSetAll(mongoCollection(), next -> next.channel, "version", writes);
    }

    Uni<List<RocketProjection>> list(RocketQuery query) {
        Document filter = query.status() == null
                ? new Document("status", new Document("$ne", null))
                : new Document("status", query.status().name());
        Bson sort = query.descending()
                ? Sorts.orderBy(Sorts.descending(query.sort().field()), Sorts.ascending("_id"))
                : Sorts.orderBy(Sorts.ascending(query.sort().field()), Sorts.ascending("_id"));
        return mongoCollection()
                .find(filter, new FindOptions().sort(sort).skip(query.offset()).limit(query.limit()))
                .collect()
                .asList();
    }

    /** Channels waiting for a missing number. A scan, but of one small document per channel, and rare. */
    Uni<List<RocketProjection>> waiting() {
        return mongoCollection()
                .find(new Document("waitingSince", new Document("$ne", null)))
                .collect()
                .asList();
    }
}
