package io.skywatch.mongo;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.WriteModel;
import io.quarkus.mongodb.reactive.ReactiveMongoCollection;
import io.skywatch.sequencing.VersionedStates;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.bson.BsonDocument;
import org.bson.BsonDocumentWriter;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.codecs.Codec;
import org.bson.codecs.EncoderContext;

/**
 * Version-checked writes of many state documents in one round trip: each replaces its document only if the
 * stored version is still the one it was computed from, and a version 0 state is inserted (refused by the
 * {@code _id} index if another writer created it first). A consumer batch that touches 400 channels is then one
 * command instead of 400 sent at once, each waiting for a pooled connection and, on a replica set, a round trip.
 */
public final class ConditionalBulkWrite {

    private ConditionalBulkWrite() {}

    /**
     * Writes the states; one outcome per write, in order: true when this write is the stored state.
     *
     * @param id the state's {@code _id}
     * @param versionField the field the version is stored in
     */
    public static <T> Uni<List<Boolean>> compareAndSetAll(
            ReactiveMongoCollection<T> collection,
            Function<T, Object> id,
            String versionField,
            List<VersionedStates.Write<T>> writes) {
        if (writes.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<WriteModel<T>> models = new ArrayList<>(writes.size());
        int replaces = 0;
        for (VersionedStates.Write<T> write : writes) {
            if (write.expectedVersion() == 0) {
                models.add(new InsertOneModel<>(write.next()));
            } else {
                // Both fields in one filter: the embedded server only uses an index whose fields match exactly.
                models.add(new ReplaceOneModel<>(
                        new Document("_id", id.apply(write.next())).append(versionField, write.expectedVersion()),
                        write.next()));
                replaces++;
            }
        }
        int expectedMatches = replaces;
        return collection
                .bulkWrite(models, new BulkWriteOptions().ordered(false))
                .map(result -> new Outcome(result, List.of()))
                .onFailure(MongoErrors::onlyDuplicateKeys)
                .recoverWithItem(failure -> {
                    MongoBulkWriteException refused = (MongoBulkWriteException) failure;
                    return new Outcome(refused.getWriteResult(), refused.getWriteErrors());
                })
                .chain(outcome -> {
                    Boolean[] written = new Boolean[writes.size()];
                    Arrays.fill(written, true);
                    // Only inserts can be refused by the unique index: a replace that finds no match is no error.
                    outcome.refused().forEach(error -> written[error.getIndex()] = false);
                    if (outcome.result().getMatchedCount() == expectedMatches) {
                        return Uni.createFrom().item(Arrays.asList(written));
                    }
                    // Some replaces matched nothing, and the result does not say which: read those documents back
                    // and see whether they hold what this batch wrote.
                    return readBack(collection, id, writes).map(stored -> {
                        Codec<T> codec = collection.getCodecRegistry().get(collection.getDocumentClass());
                        for (int i = 0; i < writes.size(); i++) {
                            if (writes.get(i).expectedVersion() != 0) {
                                BsonDocument wrote = encode(codec, writes.get(i).next());
                                written[i] = wrote.equals(stored.get(wrote.get("_id")));
                            }
                        }
                        return Arrays.asList(written);
                    });
                });
    }

    private static <T> Uni<Map<BsonValue, BsonDocument>> readBack(
            ReactiveMongoCollection<T> collection, Function<T, Object> id, List<VersionedStates.Write<T>> writes) {
        List<Object> ids = new ArrayList<>();
        for (VersionedStates.Write<T> write : writes) {
            if (write.expectedVersion() != 0) {
                ids.add(id.apply(write.next()));
            }
        }
        return collection
                .withDocumentClass(BsonDocument.class)
                .find(Filters.in("_id", ids))
                .collect()
                .asList()
                .map(documents -> {
                    Map<BsonValue, BsonDocument> byId = new HashMap<>();
                    documents.forEach(document -> byId.put(document.get("_id"), document));
                    return byId;
                });
    }

    private static <T> BsonDocument encode(Codec<T> codec, T state) {
        BsonDocument document = new BsonDocument();
        codec.encode(
                new BsonDocumentWriter(document),
                state,
                EncoderContext.builder().isEncodingCollectibleDocument(true).build());
        return document;
    }

    private record Outcome(BulkWriteResult result, List<BulkWriteError> refused) {}
}
