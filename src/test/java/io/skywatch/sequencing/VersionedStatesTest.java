package io.skywatch.sequencing;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** A batch of channels' changes: written together, with conflicts settled channel by channel. */
class VersionedStatesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** A counter per channel; the state is (version, total). */
    record Counter(String channel, long version, long total) {}

    /** An in-memory store that counts its round trips and can be moved on behind the writer's back. */
    static final class CountingStore implements VersionedStates.Store<Counter> {
        final Map<String, Counter> stored = new ConcurrentHashMap<>();
        int reads;
        int singleWrites;
        final List<Integer> batchSizes = new ArrayList<>();

        @Override
        public Uni<Counter> read(String channel) {
            reads++;
            return Uni.createFrom().item(stored.getOrDefault(channel, new Counter(channel, 0, 0)));
        }

        @Override
        public long version(Counter state) {
            return state.version();
        }

        @Override
        public Uni<Boolean> compareAndSet(long expectedVersion, Counter next) {
            singleWrites++;
            return Uni.createFrom().item(write(expectedVersion, next));
        }

        @Override
        public Uni<List<Boolean>> compareAndSetAll(List<VersionedStates.Write<Counter>> writes) {
            batchSizes.add(writes.size());
            return Uni.createFrom()
                    .item(writes.stream()
                            .map(write -> write(write.expectedVersion(), write.next()))
                            .toList());
        }

        private synchronized boolean write(long expectedVersion, Counter next) {
            long storedVersion = stored.containsKey(next.channel())
                    ? stored.get(next.channel()).version()
                    : 0;
            if (storedVersion != expectedVersion) {
                return false;
            }
            stored.put(next.channel(), next);
            return true;
        }
    }

    private final CountingStore store = new CountingStore();
    private final VersionedStates<Counter> states = new VersionedStates<>(store, 100);
    private final Map<String, Integer> notified = new ConcurrentHashMap<>();

    private Function<Counter, Uni<VersionedStates.Change<Counter>>> add(long amount) {
        return current -> {
            if (amount == 0) {
                return Uni.createFrom()
                        .item(VersionedStates.Change.none(() -> notified.merge(current.channel(), 0, Integer::sum)));
            }
            Counter next = new Counter(current.channel(), current.version() + 1, current.total() + amount);
            return Uni.createFrom()
                    .item(new VersionedStates.Change<>(next, () -> notified.merge(current.channel(), 1, Integer::sum)));
        };
    }

    private void updateAll(Map<String, Long> amounts) {
        Map<String, Function<Counter, Uni<VersionedStates.Change<Counter>>>> changes = new LinkedHashMap<>();
        amounts.forEach((channel, amount) -> changes.put(channel, add(amount)));
        states.updateAll(changes).await().atMost(TIMEOUT);
    }

    @Test
    void theChangedChannelsOfABatchAreWrittenInOneStoreCall() {
        Map<String, Long> amounts = new LinkedHashMap<>();
        amounts.put("a", 1L);
        amounts.put("b", 2L);
        amounts.put("unchanged", 0L);
        amounts.put("c", 3L);

        updateAll(amounts);

        assertThat(store.batchSizes).containsExactly(3);
        assertThat(store.singleWrites).isZero();
        assertThat(store.stored.get("b")).isEqualTo(new Counter("b", 1, 2));
        assertThat(store.stored).doesNotContainKey("unchanged");
        assertThat(notified)
                .containsEntry("a", 1)
                .containsEntry("b", 1)
                .containsEntry("c", 1)
                .containsEntry("unchanged", 0);
    }

    @Test
    void aChannelMovedOnByAnotherWriterIsReReadAndItsChangeAppliedOnce() {
        updateAll(Map.of("a", 1L, "b", 1L));
        // Another writer moves "a" on; this writer's cache still holds version 1.
        store.stored.put("a", new Counter("a", 2, 100));
        int readsBefore = store.reads;

        updateAll(new LinkedHashMap<>(Map.of("a", 5L, "b", 5L)));

        assertThat(store.stored.get("a")).isEqualTo(new Counter("a", 3, 105));
        assertThat(store.stored.get("b")).isEqualTo(new Counter("b", 2, 6));
        assertThat(store.reads - readsBefore)
                .as("only the conflicting channel is read again")
                .isEqualTo(1);
        assertThat(store.singleWrites)
                .as("only the conflicting channel is written alone")
                .isEqualTo(1);
        assertThat(notified).containsEntry("a", 2).containsEntry("b", 2);
    }

    @Test
    void aSingleChannelTakesTheSingleWritePath() {
        updateAll(Map.of("only", 4L));

        assertThat(store.batchSizes).isEmpty();
        assertThat(store.singleWrites).isEqualTo(1);
        assertThat(store.stored.get("only")).isEqualTo(new Counter("only", 1, 4));
    }
}
