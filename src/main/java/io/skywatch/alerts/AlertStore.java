package io.skywatch.alerts;

import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import io.quarkus.mongodb.FindOptions;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.mongodb.reactive.ReactiveMongoCollection;
import io.skywatch.mongo.MongoErrors;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The {@code alert_rules} and {@code alerts} collections, and the mark that the default rules were seeded. */
@ApplicationScoped
public class AlertStore {

    /** One document per deployment, written once its default rules are all in {@code alert_rules}. */
    static final String SEEDING_COLLECTION = "alert_rules_seeding";

    private static final String DEFAULTS_SEEDED = "defaults";

    private final ReactiveMongoCollection<AlertRule> rules;
    private final ReactiveMongoCollection<Document> seeding;
    private final ReactiveMongoCollection<Alert> alerts;
    private final ReactiveMongoCollection<Document> alertDocuments;

    public AlertStore(ReactiveMongoClient mongo, @ConfigProperty(name = "quarkus.mongodb.database") String database) {
        var db = mongo.getDatabase(database);
        this.rules = db.getCollection(AlertRule.COLLECTION, AlertRule.class);
        this.seeding = db.getCollection(SEEDING_COLLECTION);
        this.alerts = db.getCollection(Alert.COLLECTION, Alert.class);
        this.alertDocuments = db.getCollection(Alert.COLLECTION);
    }

    Uni<List<AlertRule>> rules() {
        return rules.find(new Document(), new FindOptions().sort(Sorts.ascending("_id")))
                .collect()
                .asList();
    }

    /** Whether a replica has recorded that every default rule was inserted (see {@link AlertRules}). */
    Uni<Boolean> defaultRulesSeeded() {
        return seeding.find(new Document("_id", DEFAULTS_SEEDED))
                .collect()
                .first()
                .map(found -> found != null);
    }

    /** Records that every default rule was inserted; a second mark leaves the first one's time. */
    Uni<Void> markDefaultRulesSeeded(Instant at) {
        return seeding.updateOne(
                        new Document("_id", DEFAULTS_SEEDED),
                        new Document("$setOnInsert", new Document("seededAt", date(at))),
                        new UpdateOptions().upsert(true))
                .onFailure(MongoErrors::isDuplicateKey)
                .recoverWithNull()
                .replaceWithVoid();
    }

    Uni<AlertRule> rule(String id) {
        return rules.find(new Document("_id", id)).collect().first();
    }

    /** Inserts a rule; false when one with its id exists (left untouched). */
    Uni<Boolean> insertRule(AlertRule rule) {
        return rules.insertOne(rule)
                .replaceWith(true)
                .onFailure(MongoErrors::isDuplicateKey)
                .recoverWithItem(false);
    }

    /** Replaces a rule; false when there is none with its id. */
    Uni<Boolean> replaceRule(AlertRule rule) {
        return rules.replaceOne(new Document("_id", rule.id), rule).map(result -> result.getMatchedCount() == 1);
    }

    Uni<Boolean> deleteRule(String id) {
        return rules.deleteOne(new Document("_id", id)).map(result -> result.getDeletedCount() == 1);
    }

    /**
     * Stores alert changes. Each is a {@code $set} of the fields it knows, by the alert's derived id, so writing
     * the same change again is harmless and a clear that no longer knows its rule keeps the stored metric.
     */
    public Uni<Void> save(List<AlertTracker.Change> changes) {
        // One write per alert, its last change: a batch may raise and clear the same alert, and concurrent writes
        // of both could land in either order.
        Map<String, Alert> lastById = new LinkedHashMap<>();
        changes.forEach(change -> lastById.put(change.alert().id, change.alert()));
        List<Uni<Void>> writes = lastById.values().stream()
                .map(alert -> alertDocuments
                        .updateOne(
                                new Document("_id", alert.id),
                                new Document("$set", fields(alert)),
                                new UpdateOptions().upsert(true))
                        .replaceWithVoid())
                .toList();
        return writes.isEmpty()
                ? Uni.createFrom().voidItem()
                : Uni.join().all(writes).andFailFast().replaceWithVoid();
    }

    Uni<List<Alert>> find(Document filter, int limit) {
        return alerts.find(
                        filter,
                        new FindOptions().sort(Sorts.descending("raisedAt")).limit(limit))
                .collect()
                .asList();
    }

    /** Alerts open now, of the given stations and metrics (all when empty), from a severity up (all when null). */
    public Uni<List<Alert>> open(Set<String> stations, Set<String> metrics, Severity minSeverity, int limit) {
        Document filter = new Document("state", Alert.State.OPEN.name());
        if (!stations.isEmpty()) {
            filter.append("stationId", new Document("$in", List.copyOf(stations)));
        }
        if (!metrics.isEmpty()) {
            filter.append("metric", new Document("$in", List.copyOf(metrics)));
        }
        if (minSeverity != null) {
            List<String> severities = Arrays.stream(Severity.values())
                    .filter(severity -> severity.compareTo(minSeverity) >= 0)
                    .map(Severity::name)
                    .toList();
            filter.append("severity", new Document("$in", severities));
        }
        return find(filter, limit);
    }

    private static Document fields(Alert alert) {
        Document set = new Document("ruleId", alert.ruleId)
                .append("stationId", alert.stationId)
                .append("state", alert.state.name())
                .append("raisedAt", date(alert.raisedAt))
                .append("raisedValue", alert.raisedValue)
                .append("peakValue", alert.peakValue)
                .append("lastValue", alert.lastValue)
                .append("updatedAt", date(alert.updatedAt));
        if (alert.metric != null) {
            set.append("kind", alert.kind.name())
                    .append("metric", alert.metric)
                    .append("severity", alert.severity.name())
                    .append("threshold", alert.threshold)
                    .append("score", alert.score);
        }
        if (alert.clearedAt != null) {
            set.append("clearedAt", date(alert.clearedAt));
        }
        return set;
    }

    private static Date date(Instant instant) {
        return instant == null ? null : Date.from(instant);
    }
}
