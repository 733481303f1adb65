package io.skywatch.kafka;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.skywatch.config.SkywatchConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics the gateway uses when they are missing, before any consumer subscribes (a consumer
 * subscribed to a missing topic would only notice it at its next metadata refresh, minutes later).
 */
@ApplicationScoped
public class TopicProvisioner {

    private final SkywatchConfig config;
    private final KafkaClients clients;
    private final String bootstrapServers;

    public TopicProvisioner(SkywatchConfig config, KafkaClients clients) {
        this.config = config;
        this.clients = clients;
        this.bootstrapServers = clients.bootstrapServers();
    }

    void createTopics(@Observes @Priority(500) StartupEvent startup) throws InterruptedException {
        if (!config.topics().create()) {
            return;
        }
        List<NewTopic> topics = List.of(
                new NewTopic(
                        config.rockets().topic(),
                        config.topics().partitions(),
                        config.topics().replicationFactor()),
                new NewTopic(
                        config.rockets().deadLetterTopic(), 1, config.topics().replicationFactor()),
                new NewTopic(
                        config.sensors().topic(),
                        config.topics().partitions(),
                        config.topics().replicationFactor()),
                new NewTopic(
                        config.sensors().deadLetterTopic(), 1, config.topics().replicationFactor()),
                new NewTopic(
                        config.streams().deadLetterTopic(), 1, config.topics().replicationFactor()),
                new NewTopic(
                                config.alerts().topic(),
                                config.topics().partitions(),
                                config.topics().replicationFactor())
                        .configs(Map.of(
                                "retention.ms",
                                String.valueOf(Duration.ofDays(7).toMillis()))),
                // Notifications of stored data, read live by every replica: nobody needs them hours later.
                new NewTopic(
                                config.live().topic(),
                                config.topics().partitions(),
                                config.topics().replicationFactor())
                        .configs(Map.of(
                                "retention.ms",
                                String.valueOf(Duration.ofHours(1).toMillis()))));
        try (Admin admin =
                Admin.create(clients.with(Map.of(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000)))) {
            for (var entry : admin.createTopics(topics).values().entrySet()) {
                try {
                    entry.getValue().get(60, TimeUnit.SECONDS);
                    Log.infof("Created topic %s", entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(
                                "Could not create topic " + entry.getKey() + " on " + bootstrapServers + ": "
                                        + e.getCause().getMessage(),
                                e.getCause());
                    }
                } catch (TimeoutException e) {
                    throw new IllegalStateException(
                            "Kafka at " + bootstrapServers + " did not answer within 60 s while creating topic "
                                    + entry.getKey(),
                            e);
                }
            }
            TopicLeaders.await(admin, topics.stream().map(NewTopic::name).toList(), Duration.ofSeconds(60));
        }
    }
}
