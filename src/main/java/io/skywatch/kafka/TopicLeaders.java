package io.skywatch.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;

/** Waits for the partitions of topics just created to have leaders. */
public final class TopicLeaders {

    private TopicLeaders() {}

    /**
     * Returns once every partition of these topics has a leader. Until then a producer's first sends to them fail
     * with NOT_LEADER_OR_FOLLOWER, and an idempotent producer that retries them can end in
     * OUT_OF_ORDER_SEQUENCE_NUMBER after the broker has already written the batch: an emitter would get a 503 for
     * events that were stored, and store them twice when it retries. Blocks: call it from a worker thread.
     */
    public static void await(Admin admin, List<String> names, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                Map<String, TopicDescription> described =
                        admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS);
                boolean led = described.values().stream()
                        .flatMap(topic -> topic.partitions().stream())
                        .allMatch(partition -> partition.leader() != null
                                && !partition.leader().isEmpty());
                if (led && described.size() == names.size()) {
                    return;
                }
            } catch (ExecutionException | TimeoutException notYetKnown) {
                // just created: the broker answering may not know the topic yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for leaders of " + names, e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "Kafka elected no leader for every partition of " + names + " within " + timeout);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for leaders of " + names, e);
            }
        }
    }
}
