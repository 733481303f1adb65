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
 * The rules in force on this replica: read from Mongo at start-up (after seeding the defaults into a new
 * deployment) and again every few seconds, so a rule changed on any replica applies everywhere without restart.
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
        seedDefaultsOnce()
                .chain(store::rules)
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

    /**
     * Puts the default rules into a deployment once. Until a replica has recorded that they are all in, every
     * replica that starts inserts the missing ones itself (an existing id is left alone) before it reads the
     * rules. Deciding by "the collection is empty" instead let a replica that started while another was still
     * inserting them read part of them, and run on that part until its next refresh: the readings it took
     * meanwhile raised no alert for the rules it had not seen, and never would (two replicas started together on
     * an empty database, as the native executables in LiveAcrossReplicasIT do). The mark is written after the
     * inserts, so a replica that finds it reads complete rules, and a default deleted later stays deleted. A
     * deployment from before the mark gets the defaults it deleted back once.
     */
    private Uni<Void> seedDefaultsOnce() {
        return store.defaultRulesSeeded().chain(seeded -> {
            if (seeded) {
                return Uni.createFrom().voidItem();
            }
            List<AlertRule> defaults = DefaultAlertRules.all();
            Instant now = Instant.now();
            defaults.forEach(rule -> rule.updatedAt = now);
            return Uni.join()
                    .all(defaults.stream().map(store::insertRule).toList())
                    .andFailFast()
                    .chain(() -> store.markDefaultRulesSeeded(now));
        });
    }
}
