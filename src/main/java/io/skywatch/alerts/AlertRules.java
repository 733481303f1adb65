package io.skywatch.alerts;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The rules in force on this replica: read from Mongo at start-up (seeding the defaults into an empty
 * collection) and again every few seconds, so a rule changed on any replica applies everywhere without restart.
 */
@ApplicationScoped
public class AlertRules {

    static final long DEFAULT_COOL_DOWN_SECONDS = 300;

    private final AlertStore store;
    private volatile List<AlertRule> current = List.of();

    public AlertRules(AlertStore store) {
        this.store = store;
    }

    /** Clearing level when a rule gives none: 10 % of the threshold's size below it. */
    static double defaultClearBelow(double raiseAbove) {
        return raiseAbove - Math.abs(raiseAbove) * 0.1;
    }

    /** The rules in force now. */
    public List<AlertRule> current() {
        return current;
    }

    // Before the consumers start (messaging starts at priority 1000), so the first readings see the rules.
    void load(@Observes @Priority(600) StartupEvent startup) {
        store.rules()
                .chain(found ->
                        found.isEmpty() ? seedDefaults() : Uni.createFrom().item(found))
                .invoke(found -> current = List.copyOf(found))
                .await()
                .atMost(Duration.ofSeconds(60));
    }

    /** Reads the rules again; also called after a change through the API so it applies here at once. */
    @Scheduled(every = "${skywatch.alerts.rules-refresh:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return store.rules()
                .invoke(found -> current = List.copyOf(found))
                .replaceWithVoid()
                .onFailure()
                .invoke(failure -> Log.warnf("Could not refresh alert rules: %s", failure.toString()))
                .onFailure()
                .recoverWithNull();
    }

    private Uni<List<AlertRule>> seedDefaults() {
        List<AlertRule> defaults = DefaultAlertRules.all();
        Instant now = Instant.now();
        defaults.forEach(rule -> rule.updatedAt = now);
        // Another replica may seed at the same time: insertRule leaves existing ids alone.
        return Uni.join()
                .all(defaults.stream().map(store::insertRule).toList())
                .andFailFast()
                .chain(store::rules);
    }
}
