package io.skywatch.sequencing;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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

        /**
         * The writes of one batch, each conditional on its own expected version, with one outcome per write in
         * the same order. Stores that can send them together (one bulk write instead of a round trip per
         * channel) override this; the default writes them one by one, concurrently.
         */
        default Uni<List<Boolean>> compareAndSetAll(List<Write<S>> writes) {
            return Uni.join()
                    .all(writes.stream()
                            .map(write -> compareAndSet(write.expectedVersion(), write.next()))
                            .toList())
                    .andFailFast();
        }
    }

    /** A conditional write: {@code next} replaces the stored state if that is still at {@code expectedVersion}. */
    public record Write<S>(long expectedVersion, S next) {}

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
        return of(read, version, compareAndSet, null, cachedChannels);
    }

    /** As above, with the batch form of compare-and-set; null writes a batch one by one. */
    public static <S> VersionedStates<S> of(
            Function<String, Uni<S>> read,
            ToLongFunction<S> version,
            BiFunction<Long, S, Uni<Boolean>> compareAndSet,
            Function<List<Write<S>>, Uni<List<Boolean>>> compareAndSetAll,
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

                    @Override
                    public Uni<List<Boolean>> compareAndSetAll(List<Write<S>> writes) {
                        return compareAndSetAll != null
                                ? compareAndSetAll.apply(writes)
                                : Store.super.compareAndSetAll(writes);
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

    /**
     * Applies each channel's change to its latest state and stores the results in one batch write. A channel
     * whose write finds the version moved goes the way of {@link #update}: re-read, recompute, write alone.
     * Completes when every channel's change is stored; fails if any failed (the caller retries the batch, and
     * channels already written then see their arrivals as applied).
     */
    public Uni<Void> updateAll(Map<String, Function<S, Uni<Change<S>>>> changes) {
        if (changes.size() == 1) {
            Map.Entry<String, Function<S, Uni<Change<S>>>> only =
                    changes.entrySet().iterator().next();
            return update(only.getKey(), only.getValue());
        }
        List<Uni<Computed<S>>> computed = new ArrayList<>(changes.size());
        changes.forEach((channel, change) -> computed.add(current(channel, false)
                .chain(current ->
                        change.apply(current).map(outcome -> new Computed<>(channel, current, outcome, change)))));
        if (computed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join().all(computed).andFailFast().chain(this::writeAll);
    }

    private Uni<Void> writeAll(List<Computed<S>> computed) {
        List<Computed<S>> toWrite = new ArrayList<>(computed.size());
        for (Computed<S> channel : computed) {
            if (channel.outcome().next() == null) {
                channel.outcome().onWritten().run();
            } else {
                toWrite.add(channel);
            }
        }
        if (toWrite.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Write<S>> writes = toWrite.stream()
                .map(channel -> new Write<>(
                        store.version(channel.current()), channel.outcome().next()))
                .toList();
        return store.compareAndSetAll(writes).chain(written -> {
            List<Uni<Void>> conflicts = new ArrayList<>();
            for (int i = 0; i < toWrite.size(); i++) {
                Computed<S> channel = toWrite.get(i);
                if (written.get(i)) {
                    cache.put(channel.channel(), channel.outcome().next());
                    channel.outcome().onWritten().run();
                } else {
                    cache.remove(channel.channel());
                    Log.debugf("Version conflict on channel %s in a batch, re-reading", channel.channel());
                    conflicts.add(update(channel.channel(), channel.change(), 1));
                }
            }
            return conflicts.isEmpty()
                    ? Uni.createFrom().voidItem()
                    : Uni.join().all(conflicts).andCollectFailures().replaceWithVoid();
        });
    }

    private record Computed<S>(String channel, S current, Change<S> outcome, Function<S, Uni<Change<S>>> change) {}

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
