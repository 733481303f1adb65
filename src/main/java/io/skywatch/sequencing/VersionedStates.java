package io.skywatch.sequencing;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Per-channel state documents written only by compare-and-set on their version, with an LRU cache in front.
 * A writer that finds the version moved (a replay after a crash, another replica during a rebalance, a
 * sweeper racing a batch) drops its cached copy, reads the stored one and computes its change again, so a
 * change is applied to the latest state exactly once. The cache is only a shortcut: a stale entry costs one
 * retry, never a wrong write.
 *
 * @param <S> the state document type
 */
public final class VersionedStates<S> {

    private static final int MAX_CONFLICT_RETRIES = 5;

    /** How the states are read and written. */
    public interface Store<S> {
        /** The stored state of a channel, or a new one (version 0) when there is none. */
        Uni<S> read(String channel);

        long version(S state);

        /** Writes {@code next} if the stored version is still {@code expectedVersion}; false otherwise. */
        Uni<Boolean> compareAndSet(long expectedVersion, S next);
    }

    /**
     * What a change makes of a state.
     *
     * @param next the state to write, with its version bumped; null when nothing changes
     * @param onWritten what to do once {@code next} is stored (metrics, notifications); runs at most once
     */
    public record Change<S>(S next, Runnable onWritten) {

        public static <S> Change<S> none(Runnable onUnchanged) {
            return new Change<>(null, onUnchanged);
        }
    }

    private final Store<S> store;
    private final Map<String, S> cache;

    /** States read, versioned and written by the given functions. */
    public static <S> VersionedStates<S> of(
            Function<String, Uni<S>> read,
            ToLongFunction<S> version,
            BiFunction<Long, S, Uni<Boolean>> compareAndSet,
            int cachedChannels) {
        return new VersionedStates<>(
                new Store<>() {
                    @Override
                    public Uni<S> read(String channel) {
                        return read.apply(channel);
                    }

                    @Override
                    public long version(S state) {
                        return version.applyAsLong(state);
                    }

                    @Override
                    public Uni<Boolean> compareAndSet(long expectedVersion, S next) {
                        return compareAndSet.apply(expectedVersion, next);
                    }
                },
                cachedChannels);
    }

    public VersionedStates(Store<S> store, int cachedChannels) {
        this.store = store;
        this.cache = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, S> eldest) {
                return size() > cachedChannels;
            }
        });
    }

    /** Applies {@code change} to the channel's latest state and stores the result. */
    public Uni<Void> update(String channel, Function<S, Uni<Change<S>>> change) {
        return update(channel, change, 0);
    }

    /** Forgets cached states, e.g. when partitions move: the next update reads the store. */
    public void forget() {
        cache.clear();
    }

    private Uni<Void> update(String channel, Function<S, Uni<Change<S>>> change, int conflicts) {
        return current(channel, conflicts > 0)
                .chain(current -> change.apply(current).chain(outcome -> {
                    if (outcome.next() == null) {
                        outcome.onWritten().run();
                        return Uni.createFrom().voidItem();
                    }
                    return store.compareAndSet(store.version(current), outcome.next())
                            .chain(written -> {
                                if (written) {
                                    cache.put(channel, outcome.next());
                                    outcome.onWritten().run();
                                    return Uni.createFrom().voidItem();
                                }
                                cache.remove(channel);
                                if (conflicts >= MAX_CONFLICT_RETRIES) {
                                    return Uni.createFrom()
                                            .failure(new IllegalStateException(
                                                    "Channel " + channel + " kept changing under this writer"));
                                }
                                Log.debugf("Version conflict on channel %s, re-reading", channel);
                                return update(channel, change, conflicts + 1);
                            });
                }));
    }

    private Uni<S> current(String channel, boolean bypassCache) {
        S cached = bypassCache ? null : cache.get(channel);
        return cached != null ? Uni.createFrom().item(cached) : store.read(channel);
    }
}
