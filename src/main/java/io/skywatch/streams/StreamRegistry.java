package io.skywatch.streams;

import com.networknt.schema.Schema;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.skywatch.ingest.JsonSchemas;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The streams in force on this replica, with their schemas compiled: read from Mongo at start-up and every few
 * seconds, so a stream defined, changed or deleted on any replica applies everywhere without restart.
 */
@ApplicationScoped
public class StreamRegistry {

    /** A definition with its compiled schema. */
    record Active(StreamDefinition definition, Schema schema) {}

    private final StreamStore store;
    private volatile Map<String, Active> active = Map.of();

    public StreamRegistry(StreamStore store) {
        this.store = store;
    }

    /** The stream of this name, or null when none is defined. */
    Active get(String name) {
        return active.get(name);
    }

    List<StreamDefinition> all() {
        return active.values().stream()
                .map(Active::definition)
                .sorted((a, b) -> a.name.compareTo(b.name))
                .toList();
    }

    void load(@Observes @Priority(600) StartupEvent startup) {
        refresh().await().atMost(Duration.ofSeconds(60));
    }

    /** Reads the definitions again; also called after a change through the API so it applies here at once. */
    @Scheduled(every = "${skywatch.streams.refresh:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return store.definitions()
                .invoke(found -> {
                    Map<String, Active> previous = active;
                    Map<String, Active> next = new HashMap<>();
                    for (StreamDefinition definition : found) {
                        Active known = previous.get(definition.name);
                        if (known != null && known.definition().updatedAt.equals(definition.updatedAt)) {
                            next.put(definition.name, known);
                            continue;
                        }
                        try {
                            next.put(
                                    definition.name,
                                    new Active(definition, JsonSchemas.fromJson(definition.schemaJson)));
                        } catch (RuntimeException broken) {
                            Log.errorf(
                                    "Stream %s has a schema that does not compile; it is off: %s",
                                    definition.name, broken);
                        }
                    }
                    active = Map.copyOf(next);
                })
                .replaceWithVoid()
                .onFailure()
                .invoke(failure -> Log.warnf("Could not refresh stream definitions: %s", failure.toString()))
                .onFailure()
                .recoverWithNull();
    }
}
