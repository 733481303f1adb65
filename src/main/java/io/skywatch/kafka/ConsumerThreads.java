package io.skywatch.kafka;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs the stream consumers' batches on a thread of their own instead of the Vert.x event loop the Kafka
 * connector hands them on. That event loop also serves HTTP connections: a batch of a thousand records parsed,
 * validated and sequenced there held the requests queued behind it (HTTP p99 64 ms at half load with the
 * consumers on, 14 ms with them paused). Started off the event loops, a batch's Mongo calls carry no Vert.x
 * context either, so their continuations run on the driver's threads, not back on the event loop.
 *
 * <p>One thread per pipeline: a consumer hands over its next batch only when the previous one is stored, so a
 * second thread would never have work; it ends when idle, so a pipeline without traffic holds none.
 */
@ApplicationScoped
public class ConsumerThreads {

    private final Map<String, Executor> executors = new ConcurrentHashMap<>();

    /** Subscribes to the batch {@code work} of {@code pipeline} on that pipeline's consumer thread. */
    public <T> Uni<T> run(String pipeline, Supplier<Uni<? extends T>> work) {
        return Uni.createFrom()
                .deferred(work)
                .runSubscriptionOn(executors.computeIfAbsent(pipeline, this::newExecutor));
    }

    private Executor newExecutor(String pipeline) {
        ThreadPoolExecutor executor =
                new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), work -> {
                    Thread thread = new Thread(work, "skywatch-consumer-" + pipeline);
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }
}
