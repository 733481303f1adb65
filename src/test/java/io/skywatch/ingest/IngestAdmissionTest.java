package io.skywatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skywatch.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IngestAdmissionTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void publishOverTheInFlightBoundIsRejectedAtOnce() {
        IngestAdmission admission = new IngestAdmission(2, Duration.ofSeconds(30), 1);
        Uni<Object> never = Uni.createFrom().nothing();
        admission.admit(2, () -> never).subscribe().with(item -> {}, failure -> {});

        assertThatThrownBy(() -> admission
                        .admit(1, () -> Uni.createFrom().item("ok"))
                        .await()
                        .atMost(WAIT))
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
                        .admit(3, () -> Uni.createFrom().nothing())
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
                        .admit(1, () -> Uni.createFrom().nothing())
                        .await()
                        .atMost(WAIT))
                .isInstanceOf(ProblemException.class);
        AtomicInteger published = new AtomicInteger();

        assertThatThrownBy(() -> admission
                        .admit(1, () -> {
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
                .untilAsserted(() -> assertThat(admission
                                .admit(1, () -> Uni.createFrom().item("ok"))
                                .await()
                                .atMost(WAIT))
                        .isEqualTo("ok"));
    }

    @Test
    void recordSpecificFailureDoesNotTurnOthersAway() {
        IngestAdmission admission = new IngestAdmission(10, Duration.ofSeconds(5), 1);
        assertThatThrownBy(() -> admission
                        .admit(
                                1,
                                () -> Uni.createFrom()
                                        .failure(new org.apache.kafka.common.errors.RecordTooLargeException("big")))
                        .await()
                        .atMost(WAIT))
                .isInstanceOf(ProblemException.class);

        assertThat(admission.admit(1, () -> Uni.createFrom().item("ok")).await().atMost(WAIT))
                .isEqualTo("ok");
    }
}
