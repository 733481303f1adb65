package io.skywatch.aggregates;

import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import io.quarkus.mongodb.FindOptions;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.mongodb.reactive.ReactiveMongoCollection;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The {@code sensor_aggregates} collection: closed windows, written idempotently by id. */
@ApplicationScoped
public class AggregateStore {

    private final ReactiveMongoCollection<WindowAggregate> aggregates;

    public AggregateStore(
            ReactiveMongoClient mongo, @ConfigProperty(name = "quarkus.mongodb.database") String database) {
        this.aggregates = mongo.getDatabase(database).getCollection(WindowAggregate.COLLECTION, WindowAggregate.class);
    }

    void createIndexes(@Observes @Priority(500) StartupEvent startup) {
        aggregates
                .createIndex(Indexes.ascending("stationId", "window", "start"))
                .chain(() -> aggregates.createIndex(Indexes.ascending("window", "start")))
                .await()
                .atMost(Duration.ofSeconds(60));
    }

    /** Stores the windows a batch closed; a window stored before is replaced by the same content. */
    public Uni<Void> save(String stationId, List<StationWindows.Closed> closed) {
        if (closed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join()
                .all(closed.stream()
                        .map(window -> WindowAggregate.of(stationId, window))
                        .map(aggregate -> aggregates
                                .replaceOne(
                                        new Document("_id", aggregate.id), aggregate, new ReplaceOptions().upsert(true))
                                .replaceWithVoid())
                        .toList())
                .andFailFast()
                .replaceWithVoid();
    }

    /** A station's closed windows of a size starting in {@code [from, to)}, oldest first. */
    public Uni<List<WindowAggregate>> ofStation(
            String stationId, WindowSize size, Instant from, Instant to, int limit) {
        Document filter = new Document("stationId", stationId)
                .append("window", size.label())
                .append("start", new Document("$gte", Date.from(from)).append("$lt", Date.from(to)));
        return aggregates
                .find(filter, new FindOptions().sort(Sorts.ascending("start")).limit(limit))
                .collect()
                .asList();
    }

    /** Every station's closed windows of a size starting in {@code [from, to)}. */
    public Uni<List<WindowAggregate>> ofAllStations(WindowSize size, Instant from, Instant to) {
        Document filter = new Document("window", size.label())
                .append("start", new Document("$gte", Date.from(from)).append("$lt", Date.from(to)));
        return aggregates.find(filter).collect().asList();
    }
}
