package io.skywatch.security;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.skywatch.config.SkywatchConfig;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The API keys in force on this replica, held in memory so checking a key never reads MongoDB: loaded at start-up
 * and re-read every {@code skywatch.security.key-refresh}, so a key revoked on any replica stops working on all of
 * them within that time (at once on the replica that revoked it). A key id this replica does not know (a key
 * created a moment ago elsewhere) triggers one reload, at most every {@code skywatch.security.unknown-key-reload}
 * whatever the number of such requests.
 */
@ApplicationScoped
public class ApiKeys {

    /** A verified key: the stored key, or null for the bootstrap admin key. */
    record Verified(ApiKey key) {}

    private final ApiKeyStore store;
    private final String bootstrapHash;
    private final long unknownReloadNanos;
    private final AtomicLong lastUnknownReload = new AtomicLong(System.nanoTime() - Long.MAX_VALUE / 2);
    private volatile Map<String, ApiKey> byId = Map.of();

    public ApiKeys(ApiKeyStore store, SkywatchConfig config) {
        this.store = store;
        this.bootstrapHash = config.security().adminKey().map(KeySecrets::hash).orElse(null);
        this.unknownReloadNanos = config.security().unknownKeyReload().toNanos();
    }

    void load(@Observes @Priority(600) StartupEvent startup) {
        refresh().await().atMost(Duration.ofSeconds(60));
    }

    /** Whether a bootstrap admin key is configured. */
    boolean hasBootstrapKey() {
        return bootstrapHash != null;
    }

    /**
     * The key {@code presented} is, if it is a valid key that is not revoked; null otherwise. Reads nothing but
     * memory, except for a rate-limited reload when the id is unknown.
     */
    Uni<Verified> verify(String presented) {
        KeySecrets.Parsed parsed = KeySecrets.parse(presented);
        if (parsed == null) {
            return Uni.createFrom()
                    .item(
                            bootstrapHash != null && KeySecrets.matches(presented, bootstrapHash)
                                    ? new Verified(null)
                                    : null);
        }
        ApiKey known = byId.get(parsed.id());
        if (known != null) {
            return Uni.createFrom().item(check(known, parsed));
        }
        long now = System.nanoTime();
        long last = lastUnknownReload.get();
        if (now - last < unknownReloadNanos || !lastUnknownReload.compareAndSet(last, now)) {
            return Uni.createFrom().nullItem();
        }
        return refresh().map(ignored -> {
            ApiKey loaded = byId.get(parsed.id());
            return loaded == null ? null : check(loaded, parsed);
        });
    }

    private static Verified check(ApiKey key, KeySecrets.Parsed parsed) {
        return !key.revoked() && KeySecrets.matches(parsed.secret(), key.secretHash) ? new Verified(key) : null;
    }

    /** Applies a created or revoked key here at once (other replicas see it at their next refresh). */
    synchronized void applied(ApiKey key) {
        Map<String, ApiKey> next = new HashMap<>(byId);
        next.put(key.id, key);
        byId = Map.copyOf(next);
    }

    /**
     * Keys are never deleted and a revocation is final, so merging what was read with what is known cannot undo a
     * change this replica applied while the read was under way.
     */
    private synchronized void merge(List<ApiKey> found) {
        Map<String, ApiKey> next = new HashMap<>(byId);
        found.forEach(key -> next.merge(key.id, key, (known, read) -> known.revoked() ? known : read));
        byId = Map.copyOf(next);
    }

    /** Reads every key again. */
    @Scheduled(every = "${skywatch.security.key-refresh:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return store.all()
                .invoke(this::merge)
                .replaceWithVoid()
                .onFailure()
                .invoke(failure -> Log.warnf("Could not refresh API keys: %s", failure.toString()))
                .onFailure()
                .recoverWithNull();
    }
}
