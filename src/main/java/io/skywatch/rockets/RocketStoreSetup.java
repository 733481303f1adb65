package io.skywatch.rockets;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;

/** Creates the rockets indexes, idempotently, before the sequencer starts consuming. */
@ApplicationScoped
public class RocketStoreSetup {

    private final RocketEventLog eventLog;
    private final RocketProjections projections;

    public RocketStoreSetup(RocketEventLog eventLog, RocketProjections projections) {
        this.eventLog = eventLog;
        this.projections = projections;
    }

    // Messaging starts its consumers from a StartupEvent observer at priority 1000; the unique index must
    // exist before the first event is stored, or duplicates could slip in.
    void createIndexes(@Observes @Priority(500) StartupEvent startup) {
        eventLog.createIndexes().chain(projections::createIndexes).await().atMost(Duration.ofSeconds(60));
    }
}
