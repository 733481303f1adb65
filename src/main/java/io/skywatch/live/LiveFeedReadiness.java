package io.skywatch.live;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once this replica reads the alerts topic: its partitions are assigned and their start position (the end of
 * the topic at that moment) is known. The live feed starts at the end of the topic, so a client served before that
 * would miss the alerts raised meanwhile; a replica that is not ready gets no traffic from the load balancer.
 */
@ApplicationScoped
@Readiness
@Identifier(LiveFeedReadiness.LISTENER)
public class LiveFeedReadiness implements HealthCheck, KafkaConsumerRebalanceListener {

    /** Name the alerts-live channel's {@code consumer-rebalance-listener.name} refers to. */
    public static final String LISTENER = "live-rebalance";

    private final Set<TopicPartition> assigned = ConcurrentHashMap.newKeySet();

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        // "From the end" is resolved lazily, at the first fetch after the assignment: an alert published in between
        // would be skipped. Resolve it here (position() looks the end offset up) before reporting ready.
        for (TopicPartition partition : partitions) {
            consumer.position(partition);
        }
        assigned.addAll(partitions);
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        assigned.removeAll(partitions);
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Live feed")
                .status(!assigned.isEmpty())
                .withData("alertsPartitions", assigned.size())
                .build();
    }
}
