package io.skywatch.rockets;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.junit.QuarkusTest;
import io.skywatch.sequencing.VersionedStates.Write;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The rockets' state documents written a consumer batch at a time, against the Mongo wire server: every write
 * is checked against the version it was computed from, and the outcome of each is told apart even when the
 * bulk result only counts them.
 */
@QuarkusTest
class RocketProjectionsBatchWriteTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Inject
    RocketProjections projections;

    @Inject
    MeterRegistry registry;

    private static RocketProjection state(String channel, long version, long speed) {
        RocketProjection state = RocketProjection.newChannel(channel);
        state.version = version;
        state.speed = speed;
        state.status = RocketStatus.LAUNCHED;
        state.lastMessageNumber = version;
        state.updatedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return state;
    }

    private void store(RocketProjection state) {
        assertThat(projections.compareAndSet(state.version - 1, state).await().atMost(TIMEOUT))
                .isTrue();
    }

    /** A new channel whose stored state went through versions 1 to {@code version} (0: none), at {@code speed} last. */
    private String channelAt(long version, long speed) {
        String channel = "batch-" + UUID.randomUUID();
        for (long stored = 1; stored <= version; stored++) {
            store(state(channel, stored, stored == version ? speed : 500));
        }
        return channel;
    }

    @SafeVarargs
    private List<Boolean> writeAll(Write<RocketProjection>... writes) {
        return writeAll(List.of(writes));
    }

    private List<Boolean> writeAll(List<Write<RocketProjection>> writes) {
        return projections.compareAndSetAll(writes).await().atMost(TIMEOUT);
    }

    private RocketProjection stored(String channel) {
        return projections.findById(channel).await().atMost(TIMEOUT);
    }

    @Test
    void newAndExistingChannelsAreWrittenInOneBatch() {
        String fresh = channelAt(0, 0);
        String existing = channelAt(1, 500);

        List<Boolean> written = writeAll(new Write<>(0, state(fresh, 1, 500)), new Write<>(1, state(existing, 2, 502)));

        assertThat(written).containsExactly(true, true);
        assertThat(stored(fresh).version).isEqualTo(1);
        assertThat(stored(existing).version).isEqualTo(2);
        assertThat(stored(existing).speed).isEqualTo(502);
    }

    @Test
    void writesComputedFromStaleVersionsAreRefusedAndTheOthersStillWritten() {
        // Another writer (a replica during a rebalance) got to the first two first.
        String movedOn = channelAt(2, 777);
        String createdElsewhere = channelAt(1, 900);
        String current = channelAt(1, 500);

        List<Boolean> written = writeAll(
                new Write<>(1, state(movedOn, 2, 502)),
                new Write<>(0, state(createdElsewhere, 1, 500)),
                new Write<>(1, state(current, 2, 503)));

        assertThat(written).containsExactly(false, false, true);
        assertThat(stored(movedOn).speed).isEqualTo(777);
        assertThat(stored(createdElsewhere).speed).isEqualTo(900);
        assertThat(stored(current).version).isEqualTo(2);
        assertThat(stored(current).speed).isEqualTo(503);
    }

    @Test
    void anotherWritersStateAtTheSameVersionIsNotMistakenForThisOne() {
        String raced = channelAt(2, 601);
        String stale = channelAt(2, 600);

        // Same version as the stored one, different content: the read-back must not count it as written.
        List<Boolean> written = writeAll(new Write<>(1, state(raced, 2, 999)), new Write<>(1, state(stale, 2, 502)));

        assertThat(written).containsExactly(false, false);
        assertThat(stored(raced).speed).isEqualTo(601);
        assertThat(stored(stale).speed).isEqualTo(600);
    }

    private long updateCommands() {
        Timer commands = registry.find("mongodb.driver.commands")
                .tags("collection", RocketProjection.COLLECTION, "command", "update")
                .timer();
        return commands == null ? 0 : commands.count();
    }

    @Test
    void aBatchOfChannelsIsOneUpdateCommand() {
        List<Write<RocketProjection>> created = new ArrayList<>();
        List<Write<RocketProjection>> advanced = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String channel = channelAt(0, 0);
            created.add(new Write<>(0, state(channel, 1, 500)));
            advanced.add(new Write<>(1, state(channel, 2, 500 + i)));
        }
        assertThat(writeAll(created)).containsOnly(true);
        long before = updateCommands();

        assertThat(writeAll(advanced)).containsOnly(true);

        assertThat(updateCommands() - before).isEqualTo(1);
    }
}
