package io.skywatch.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.mongodb.reactive.ReactiveMongoCollection;
import io.quarkus.runtime.StartupEvent;
import io.skywatch.config.SkywatchConfig;
import io.skywatch.live.LiveUpdates;
import io.skywatch.mongo.MongoErrors;
import io.skywatch.sequencing.VersionedStates;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A run-time stream's window aggregations: kept per partition with the offsets applied (so a redelivered
 * record never counts twice), closed windows stored in {@code stream_aggregates} (one document per partition,
 * merged when read) and announced on the live topic.
 */
@ApplicationScoped
public class StreamAggregates {

    /** An event as the aggregations see it. */
    record Applied(long offset, Instant time, JsonNode event, boolean firstOccurrence) {}

    /** A closed window of one partition, as stored. */
    public static class ClosedWindow {
        public String id;
        public String stream;
        public String aggregation;
        public int partition;
        public Instant start;
        public Instant end;
        public List<StreamWindows.Count> counts;
        public io.skywatch.aggregates.Stats stats;
    }

    private final ReactiveMongoCollection<StreamWindows> partitions;
    private final ReactiveMongoCollection<ClosedWindow> closedWindows;
    private final VersionedStates<StreamWindows> states;
    private final Duration lateness;
    private final LiveUpdates live;

    public StreamAggregates(
            ReactiveMongoClient mongo,
            @ConfigProperty(name = "quarkus.mongodb.database") String database,
            SkywatchConfig config,
            LiveUpdates live) {
        var db = mongo.getDatabase(database);
        this.partitions = db.getCollection(StreamWindows.COLLECTION, StreamWindows.class);
        this.closedWindows = db.getCollection("stream_aggregates", ClosedWindow.class);
        this.lateness = config.aggregates().allowedLateness();
        this.live = live;
        this.states = VersionedStates.of(
                id -> partitions
                        .find(new Document("_id", id))
                        .collect()
                        .first()
                        .map(found -> found != null
                                ? found
                                : StreamWindows.empty(
                                        id.substring(0, id.lastIndexOf('|')),
                                        Integer.parseInt(id.substring(id.lastIndexOf('|') + 1)))),
                windows -> windows.version,
                this::compareAndSet,
                10_000);
    }

    void createIndexes(@Observes @Priority(500) StartupEvent startup) {
        closedWindows
                .createIndex(Indexes.ascending("stream", "start"))
                .chain(() ->
                        partitions.createIndex(Indexes.ascending("_id", "version"), new IndexOptions().unique(true)))
                .await()
                .atMost(Duration.ofSeconds(60));
    }

    /** Applies a partition's events, in offset order, to its stream's aggregations. */
    Uni<Void> apply(String stream, int partition, StreamDefinition definition, List<Applied> events) {
        if (definition == null || definition.aggregations.isEmpty() || events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return states.update(stream + "|" + partition, current -> {
            StreamWindows next = current.copy();
            List<StreamWindows.Window> closed = new ArrayList<>();
            Duration allowed = latenessOf(definition);
            for (Applied event : events) {
                if (event.offset() <= next.lastOffset) {
                    continue;
                }
                next.lastOffset = event.offset();
                if (event.firstOccurrence()) {
                    next.apply(event.time(), contributions(definition, event.event()), allowed, closed);
                }
            }
            if (next.lastOffset == current.lastOffset) {
                return Uni.createFrom().item(VersionedStates.Change.none(() -> {}));
            }
            next.version = current.version + 1;
            return save(stream, partition, closed)
                    .replaceWith(new VersionedStates.Change<>(
                            next, () -> closed.forEach(window -> live.aggregate(stream, partition, window))));
        });
    }

    /**
     * Closes a quiet partition's windows that its latest event time, moved on by how long the partition has been
     * quiet, has passed (less the allowed lateness): nothing else moves its watermark. A live stream thus closes
     * its windows as if events had kept coming; a replay of old events closes only what that much more of its own
     * time would have. Later events for them count as late.
     */
    Uni<Void> closeIdle(String stream, int partition, StreamDefinition definition, Duration quietFor) {
        return states.update(stream + "|" + partition, current -> {
            Instant upTo = current.watermark == null
                    ? null
                    : current.watermark.plus(quietFor).minus(latenessOf(definition));
            if (upTo == null || current.open.stream().noneMatch(w -> !w.end.isAfter(upTo))) {
                return Uni.createFrom().item(VersionedStates.Change.none(() -> {}));
            }
            StreamWindows next = current.copy();
            List<StreamWindows.Window> closed = next.closeUpTo(upTo);
            next.version = current.version + 1;
            return save(stream, partition, closed)
                    .replaceWith(new VersionedStates.Change<>(
                            next, () -> closed.forEach(window -> live.aggregate(stream, partition, window))));
        });
    }

    /** The stream's allowed lateness, or the gateway's. */
    Duration latenessOf(StreamDefinition definition) {
        return definition.allowedLateness == null ? lateness : StreamSpec.windowLength(definition.allowedLateness);
    }

    private static List<StreamWindows.Contribution> contributions(StreamDefinition definition, JsonNode event) {
        List<StreamWindows.Contribution> contributions = new ArrayList<>();
        for (StreamDefinition.Aggregation aggregation : definition.aggregations) {
            Duration window = StreamSpec.windowLength(aggregation.window);
            JsonNode value = EventFields.get(event, aggregation.field);
            if (aggregation.type == StreamDefinition.AggregationType.COUNT) {
                String counted = EventFields.present(value) && value.isValueNode() ? value.asText() : "(missing)";
                contributions.add(new StreamWindows.Contribution(aggregation.name, window, counted, null));
            } else if (value.isNumber()) {
                contributions.add(new StreamWindows.Contribution(aggregation.name, window, null, value.asDouble()));
            }
        }
        return contributions;
    }

    private Uni<Void> save(String stream, int partition, List<StreamWindows.Window> closed) {
        if (closed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join()
                .all(closed.stream()
                        .map(window -> {
                            ClosedWindow stored = new ClosedWindow();
                            stored.id = stream + "|" + window.aggregation + "|" + partition + "|"
                                    + window.start.toEpochMilli();
                            stored.stream = stream;
                            stored.aggregation = window.aggregation;
                            stored.partition = partition;
                            stored.start = window.start;
                            stored.end = window.end;
                            stored.counts = window.counts;
                            stored.stats = window.stats;
                            return closedWindows
                                    .replaceOne(
                                            new Document("_id", stored.id), stored, new ReplaceOptions().upsert(true))
                                    .replaceWithVoid();
                        })
                        .toList())
                .andFailFast()
                .replaceWithVoid();
    }

    private Uni<Boolean> compareAndSet(long expectedVersion, StreamWindows next) {
        if (expectedVersion == 0) {
            return partitions
                    .insertOne(next)
                    .replaceWith(true)
                    .onFailure(MongoErrors::isDuplicateKey)
                    .recoverWithItem(false);
        }
        return partitions
                .replaceOne(new Document("_id", next.id).append("version", expectedVersion), next)
                .map(result -> result.getMatchedCount() == 1);
    }

    /** Forgets cached states, e.g. when partitions move: Mongo is read again. */
    void forget() {
        states.forget();
    }

    /** Closed windows of a stream starting in {@code [from, to)}, every partition's. */
    Uni<List<ClosedWindow>> closed(String stream, Instant from, Instant to) {
        return closedWindows
                .find(new Document("stream", stream)
                        .append("start", new Document("$gte", Date.from(from)).append("$lt", Date.from(to))))
                .collect()
                .asList();
    }

    /** Every partition's open windows of a stream. */
    Uni<List<StreamWindows>> open(String stream) {
        return partitions.find(new Document("stream", stream)).collect().asList();
    }
}
