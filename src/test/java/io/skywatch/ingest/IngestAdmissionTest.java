package io.skywatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skywatch.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class IngestAdmissionTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void publishOverTheInFlightBoundIsRejectedAtOnce() {
        IngestAdmission admission = new IngestAdmission(2, Duration.ofSeconds(30), 1);
        Uni<Object> never = Uni.createFrom().nothing();
        admission.admit("rockets", 2, () -> never).subscribe().with(item -> {}, failure -> {});

        assertThatThrownBy(() -> admitOne(admission, "rockets"))
                .isInstanceOfSatisfying(ProblemException.class, problem -> {
                    assertThat(problem.status()).isEqualTo(503);
                    assertThat(problem.retryAfterSeconds()).isEqualTo(1);
                });
        assertThat(admission.inFlight()).isEqualTo(2);
    }

    @Test
    void unacknowledgedPublishBecomesA503AndFreesItsSlot() {
        IngestAdmission admission = new IngestAdmission(10, Duration.ofMillis(100), 1);

        assertThatThrownBy(() -> admission
                        .admit("rockets", 3, () -> Uni.createFrom().nothing())
                        .await()
                        .atMost(WAIT))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        problem -> assertThat(problem.status()).isEqualTo(503));
        assertThat(admission.inFlight()).isZero();
    }

    @Test
    void afterATimeoutRequestsAreTurnedAwayWithoutWaitingUntilTheRetryAfterPasses() {
        IngestAdmission admission = new IngestAdmission(10, Duration.ofMillis(100), 1);
        assertThatThrownBy(() -> admission
                        .admit("rockets", 1, () -> Uni.createFrom().nothing())
                        .await()
                        .atMost(WAIT))
                .isInstanceOf(ProblemException.class);
        AtomicInteger published = new AtomicInteger();

        assertThatThrownBy(() -> admission
                        .admit("rockets", 1, () -> {
                            published.incrementAndGet();
                            return Uni.createFrom().item("ok");
                        })
                        .await()
                        .atMost(Duration.ofMillis(50)))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        problem -> assertThat(problem.getMessage()).contains("not acknowledging"));
        assertThat(published).hasValue(0);

        org.awaitility.Awaitility.await()
                .atMost(WAIT)
                .ignoreExceptionsInstanceOf(ProblemException.class)
                .untilAsserted(() -> assertThat(admitOne(admission, "rockets")).isEqualTo("ok"));
    }

    @Test
    void acknowledgementLandingWhileAnotherRequestIsAdmittedDoesNotTurnItAway() {
        // A request reads the clock; before it looks at the refusal window, another request's publish is
        // acknowledged on another thread, a little later. The clock below plays that interleaving out in order.
        AtomicLong nanos = new AtomicLong(1_000_000_000L);
        AtomicReference<Runnable> acknowledgeWhenTheClockIsRead = new AtomicReference<>();
        IngestAdmission admission =
                new IngestAdmission(10, Duration.ofSeconds(5), 1, stream -> 0, BacklogBound.NONE, () -> {
                    long now = nanos.get();
                    Runnable acknowledge = acknowledgeWhenTheClockIsRead.getAndSet(null);
                    if (acknowledge != null) {
                        nanos.addAndGet(1_000);
                        acknowledge.run();
                    }
                    return now;
                });
        AtomicReference<UniEmitter<? super String>> pending = new AtomicReference<>();
        admission
                .admit("rockets", 1, () -> Uni.createFrom().<String>emitter(pending::set))
                .subscribe()
                .with(item -> {}, failure -> {});
        acknowledgeWhenTheClockIsRead.set(() -> pending.get().complete("ok"));

        assertThat(admission
                        .admit("rockets", 1, () -> Uni.createFrom().item("accepted"))
                        .await()
                        .atMost(WAIT))
                .isEqualTo("accepted");
    }

    @Test
    void recordSpecificFailureDoesNotTurnOthersAway() {
        IngestAdmission admission = new IngestAdmission(10, Duration.ofSeconds(5), 1);
        assertThatThrownBy(() -> admission
                        .admit(
                                "rockets",
                                1,
                                () -> Uni.createFrom()
                                        .failure(new org.apache.kafka.common.errors.RecordTooLargeException("big")))
                        .await()
                        .atMost(WAIT))
                .isInstanceOf(ProblemException.class);

        assertThat(admitOne(admission, "rockets")).isEqualTo("ok");
    }

    @Test
    void pipelineWithTooLargeBacklogIsRefusedUntilItCatchesUp() {
        java.util.Map<String, Long> backlogs =
                new java.util.concurrent.ConcurrentHashMap<>(java.util.Map.of("sensors", 20_001L, "rockets", 5L));
        IngestAdmission admission = new IngestAdmission(
                10,
                Duration.ofSeconds(5),
                2,
                stream -> backlogs.getOrDefault(stream, 0L),
                new BacklogBound(20_000, Duration.ZERO, 0));
        java.util.concurrent.atomic.AtomicInteger published = new java.util.concurrent.atomic.AtomicInteger();

        assertThatThrownBy(() -> admission
                        .admit("sensors", 1, () -> Uni.createFrom().item(published.incrementAndGet()))
                        .await()
                        .atMost(WAIT))
                .isInstanceOfSatisfying(ProblemException.class, refused -> {
                    assertThat(refused.status()).isEqualTo(503);
                    assertThat(refused.retryAfterSeconds()).isEqualTo(2);
                    assertThat(refused.getMessage()).contains("sensors").contains("20000");
                });
        assertThat(published).hasValue(0);
        // Another pipeline is not held back by this one's backlog.
        assertThat(admitOne(admission, "rockets")).isEqualTo("ok");

        backlogs.put("sensors", 20_000L);
        assertThat(admitOne(admission, "sensors")).isEqualTo("ok");
    }

    @Test
    void pipelineWhoseBacklogTakesLongerThanMaxCatchUpToStoreIsRefused() {
        java.util.Map<String, Long> backlogs = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.Map<String, Double> storeRates = new java.util.concurrent.ConcurrentHashMap<>();
        IngestAdmission.Backlogs sampled = new IngestAdmission.Backlogs() {
            @Override
            public long of(String stream) {
                return backlogs.getOrDefault(stream, 0L);
            }

            @Override
            public double catchUpRate(String stream) {
                return storeRates.getOrDefault(stream, 0.0);
            }

            @Override
            public void acknowledged(String stream, int records) {
                backlogs.merge(stream, (long) records, Long::sum);
            }
        };
        IngestAdmission admission = new IngestAdmission(
                10, Duration.ofSeconds(5), 1, sampled, new BacklogBound(20_000, Duration.ofSeconds(5), 2_000));

        storeRates.put("rockets", 1_000.0);
        backlogs.put("rockets", 4_999L);
        assertThat(admitOne(admission, "rockets")).isEqualTo("ok");
        // The acknowledged event counts towards the backlog before the next sample.
        assertThat(backlogs).containsEntry("rockets", 5_000L);
        assertThat(admitOne(admission, "rockets")).isEqualTo("ok");
        assertThatThrownBy(() -> admitOne(admission, "rockets"))
                .isInstanceOfSatisfying(ProblemException.class, refused -> {
                    assertThat(refused.status()).isEqualTo(503);
                    assertThat(refused.retryAfterSeconds()).isEqualTo(1);
                    assertThat(refused.getMessage()).contains("rockets", "5001", "5.0 s", "1000/s");
                });

        // Consumers that stored faster lately are allowed a larger backlog, up to max-backlog whatever the rate.
        storeRates.put("rockets", 3_000.0);
        assertThat(admitOne(admission, "rockets")).isEqualTo("ok");
        storeRates.put("rockets", 10_000.0);
        backlogs.put("rockets", 20_001L);
        assertThatThrownBy(() -> admitOne(admission, "rockets"))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        refused -> assertThat(refused.getMessage()).contains("more than 20000"));

        // A pipeline that has not stored lately (no rate to go by) still takes the floor's worth of backlog.
        backlogs.put("sensors", 2_000L);
        assertThat(admitOne(admission, "sensors")).isEqualTo("ok");
        backlogs.put("sensors", 2_001L);
        assertThatThrownBy(() -> admitOne(admission, "sensors"))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        refused -> assertThat(refused.getMessage()).contains("sensors", "more than 2000", "0/s"));
    }

    private static String admitOne(IngestAdmission admission, String pipeline) {
        return admission
                .admit(pipeline, 1, () -> Uni.createFrom().item("ok"))
                .await()
                .atMost(WAIT);
    }
}
