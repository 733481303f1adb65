package io.skywatch.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/** Waits for the partitions of topics just created to have leaders. */
public final class TopicLeaders {

    private TopicLeaders() {}

    /**
     * A known leader is not yet a leader that serves: the broker publishes the leadership in its metadata before
     * its replica manager has the partition's log, and produce requests in between still get
     * NOT_LEADER_OR_FOLLOWER. ListOffsets is answered by that same replica manager, so its success means produce
     * requests will be too.
     */
    private static boolean leadersServe(Admin admin, Map<String, TopicDescription> described)
            throws InterruptedException, TimeoutException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        described
                .values()
                .forEach(topic -> topic.partitions()
                        .forEach(partition -> latest.put(
                                new TopicPartition(topic.name(), partition.partition()), OffsetSpec.latest())));
        try {
            admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException notServingYet) {
            return false;
        }
    }

    /**
     * Returns once every partition of these topics has a leader that serves requests. Until then a producer's first sends to them fail
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
                if (led && described.size() == names.size() && leadersServe(admin, described)) {
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
