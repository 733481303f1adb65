package io.skywatch.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.skywatch.alerts.Severity;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LiveClientTest {

    /** A connection whose sends complete only when the test says so: a client that does not read. */
    private static final class StuckConnection implements LiveClient.Outbox {
        final List<String> sent = new ArrayList<>();
        CompletableFuture<Void> pending = new CompletableFuture<>();

        @Override
        public synchronized Uni<Void> send(String text) {
            sent.add(text);
            return Uni.createFrom().completionStage(pending);
        }

        @Override
        public boolean isClosed() {
            return false;
        }

        void readEverything() {
            // Completes sends as they come from now on.
            CompletableFuture<Void> stuck = pending;
            pending = CompletableFuture.completedFuture(null);
            stuck.complete(null);
        }
    }

    private static LiveMessage alert(int n) {
        return new LiveMessage(LiveMessage.ALERTS, "st-1", Set.of("pm10"), Severity.WARNING, null, "{\"n\":" + n + "}");
    }

    @Test
    void slowClientLosesTheOldestMessagesAndIsToldHowMany() {
        StuckConnection connection = new StuckConnection();
        AtomicLong droppedMetric = new AtomicLong();
        LiveClient client = new LiveClient(connection, Subscription.DEFAULT, 10, droppedMetric::addAndGet);
        client.greet(List.of("{\"type\":\"subscribed\"}"));

        for (int n = 0; n < 1000; n++) {
            client.offer(alert(n));
        }
        assertThat(connection.sent).as("one send in flight, the rest queued").hasSize(1);

        connection.readEverything();

        List<String> expected = new ArrayList<>();
        expected.add("{\"type\":\"subscribed\"}");
        expected.add("{\"type\":\"dropped\",\"count\":990}");
        for (int n = 990; n < 1000; n++) {
            expected.add("{\"n\":" + n + "}");
        }
        assertThat(connection.sent).containsExactlyElementsOf(expected);
        assertThat(droppedMetric).hasValue(990);
    }

    @Test
    void liveMessagesWaitBehindTheGreeting() {
        StuckConnection connection = new StuckConnection();
        connection.readEverything();
        LiveClient client = new LiveClient(connection, Subscription.DEFAULT, 10, n -> {});

        client.offer(alert(1));
        assertThat(connection.sent).isEmpty();
        client.greet(List.of("hello", "open alerts"));

        assertThat(connection.sent).containsExactly("hello", "open alerts", "{\"n\":1}");
    }

    @Test
    void subscriptionFiltersByStreamSourceMetricAndSeverity() {
        Subscription critical = Subscription.parse(Map.of(
                "streams", List.of("alerts,sensors"), "stations", List.of("st-1"), "severity", List.of("critical")));
        LiveMessage warning = alert(1);
        LiveMessage criticalAlert =
                new LiveMessage(LiveMessage.ALERTS, "st-1", Set.of("pm10"), Severity.CRITICAL, null, "{}");
        LiveMessage reading = new LiveMessage(LiveMessage.SENSORS, "st-1", Set.of("pm10"), null, null, "{}");
        LiveMessage otherStation = new LiveMessage(LiveMessage.SENSORS, "st-2", Set.of("pm10"), null, null, "{}");
        LiveMessage rocket = new LiveMessage(LiveMessage.ROCKETS, "st-1", Set.of(), null, null, "{}");

        assertThat(critical.wants(warning)).isFalse();
        assertThat(critical.wants(criticalAlert)).isTrue();
        assertThat(critical.wants(reading)).isTrue();
        assertThat(critical.wants(otherStation)).isFalse();
        assertThat(critical.wants(rocket)).isFalse();

        Subscription humidityOnly =
                Subscription.parse(Map.of("streams", List.of("sensors"), "metrics", List.of("humidity")));
        assertThat(humidityOnly.wants(reading)).isFalse();
    }

    @Test
    void unknownStreamOrSeverityIsRefusedWithItsName() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> Subscription.parse(Map.of("streams", List.of("alerts,Weather!"))))
                .hasMessageContaining("streams")
                .hasMessageContaining("Weather!");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> Subscription.parse(Map.of("severity", List.of("apocalyptic"))))
                .hasMessageContaining("severity");
    }
}
