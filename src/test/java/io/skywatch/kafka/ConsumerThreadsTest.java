package io.skywatch.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConsumerThreadsTest {

    private final ConsumerThreads threads = new ConsumerThreads();

    @Test
    void aBatchHandedOverOnAnEventLoopRunsOnItsPipelinesThread() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            CompletableFuture<String[]> ran = new CompletableFuture<>();
            vertx.runOnContext(v -> {
                String caller = Thread.currentThread().getName();
                threads.run(
                                "rockets",
                                () -> Uni.createFrom()
                                        .item(() -> Thread.currentThread().getName()))
                        .subscribe()
                        .with(worker -> ran.complete(new String[] {caller, worker}), ran::completeExceptionally);
            });
            String[] names = ran.get(10, TimeUnit.SECONDS);
            assertThat(names[0]).startsWith("vert.x-eventloop-thread");
            assertThat(names[1]).isEqualTo("skywatch-consumer-rockets");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void eachPipelineHasItsOwnThread() {
        String sensors = threads.run(
                        "sensors",
                        () -> Uni.createFrom().item(() -> Thread.currentThread().getName()))
                .await()
                .atMost(Duration.ofSeconds(10));
        String streams = threads.run(
                        "streams",
                        () -> Uni.createFrom().item(() -> Thread.currentThread().getName()))
                .await()
                .atMost(Duration.ofSeconds(10));
        assertThat(sensors).isEqualTo("skywatch-consumer-sensors");
        assertThat(streams).isEqualTo("skywatch-consumer-streams");
    }
}
