package io.skywatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The default rules go into a deployment once, completely, whatever the replicas starting at the same time do. The
 * application's own start-up has seeded them already; these tests put the store back into the state a second
 * replica can find, and start this one's rules again ({@link AlertRules#load}).
 */
@QuarkusTest
class DefaultRulesSeedingTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    AlertRules rules;

    @Inject
    AlertStore store;

    @Inject
    ReactiveMongoClient mongo;

    @ConfigProperty(name = "quarkus.mongodb.database")
    String database;

    @Test
    void replicaStartingWhileAnotherSeedsGetsEveryDefaultRule() {
        List<String> defaults =
                DefaultAlertRules.all().stream().map(rule -> rule.id).toList();
        try {
            // Another replica is inserting the defaults: the first three are in, the rest and the mark are not yet.
            mongo.getDatabase(database)
                    .getCollection(AlertStore.SEEDING_COLLECTION)
                    .deleteMany(new Document())
                    .await()
                    .atMost(WAIT);
            for (String id : defaults.subList(3, defaults.size())) {
                store.deleteRule(id).await().atMost(WAIT);
            }

            rules.load(null);

            assertThat(rules.current()).extracting(rule -> rule.id).containsAll(defaults);
            assertThat(store.defaultRulesSeeded().await().atMost(WAIT)).isTrue();
        } finally {
            restoreDefaults();
        }
    }

    @Test
    void defaultRuleDeletedAfterSeedingStaysDeleted() {
        rules.load(null);
        String id = "temperature-warning";
        assertThat(store.defaultRulesSeeded().await().atMost(WAIT)).isTrue();
        assertThat(store.deleteRule(id).await().atMost(WAIT)).isTrue();
        try {
            rules.load(null);

            assertThat(rules.current()).extracting(rule -> rule.id).doesNotContain(id);
        } finally {
            restoreDefaults();
        }
    }

    /** Leaves the defaults as the other tests expect them; insertRule keeps any that are there. */
    private void restoreDefaults() {
        Instant now = Instant.now();
        for (AlertRule rule : DefaultAlertRules.all()) {
            rule.updatedAt = now;
            store.insertRule(rule).await().atMost(WAIT);
        }
        store.markDefaultRulesSeeded(now).await().atMost(WAIT);
        rules.refresh().await().atMost(WAIT);
    }
}
