package io.skywatch.security;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.mongodb.reactive.ReactiveMongoCollection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The {@code api_keys} collection. Read whole by each replica (there are few keys), never per request. */
@ApplicationScoped
public class ApiKeyStore {

    private final ReactiveMongoCollection<ApiKey> keys;

    public ApiKeyStore(ReactiveMongoClient mongo, @ConfigProperty(name = "quarkus.mongodb.database") String database) {
        this.keys = mongo.getDatabase(database).getCollection(ApiKey.COLLECTION, ApiKey.class);
    }

    Uni<List<ApiKey>> all() {
        return keys.find(new Document()).collect().asList();
    }

    Uni<Void> insert(ApiKey key) {
        return keys.insertOne(key).replaceWithVoid();
    }

    /** Marks the key revoked (once: a second revocation keeps the first time); null when there is no such key. */
    Uni<ApiKey> revoke(String id, Instant at) {
        return keys.updateOne(
                        Filters.and(Filters.eq("_id", id), Filters.eq("revokedAt", null)), Updates.set("revokedAt", at))
                .chain(() -> keys.find(new Document("_id", id)).collect().first());
    }
}
