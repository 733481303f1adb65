package io.skywatch.streams;

import io.skywatch.config.SkywatchConfig;
import io.skywatch.kafka.KafkaClients;
import io.skywatch.kafka.TopicLeaders;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
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
 * A run-time stream's topics: {@code streams.<name>} (raw, keyed by the stream's key field),
 * {@code streams.<name>.processed} (validated and enriched events, for downstream consumers) and
 * {@code streams.<name>.rejected} (filtered events, when the stream asks for them). The raw topics are what
 * the streams consumer subscribes to by pattern.
 */
@ApplicationScoped
public class StreamTopics {

    static final String PREFIX = "streams.";
    /** Matches raw topics only: stream names have no dots. */
    public static final String RAW_PATTERN = "streams\\.[a-z][a-z0-9-]*";

    private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(30);

    private final SkywatchConfig config;
    private final KafkaClients clients;

    public StreamTopics(SkywatchConfig config, KafkaClients clients) {
        this.config = config;
        this.clients = clients;
    }

    static String raw(String stream) {
        return PREFIX + stream;
    }

    static String processed(String stream) {
        return PREFIX + stream + ".processed";
    }

    static String rejected(String stream) {
        return PREFIX + stream + ".rejected";
    }

    /** The stream a raw topic belongs to. */
    static String streamOf(String rawTopic) {
        return rawTopic.substring(PREFIX.length());
    }

    /** Creates the stream's topics where missing (on a worker thread: the admin client blocks). */
    Uni<Void> ensure(String stream) {
        if (!config.topics().create()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom()
                .item(() -> {
                    create(stream);
                    return null;
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .replaceWithVoid();
    }

    private void create(String stream) {
        short replication = config.topics().replicationFactor();
        int partitions = config.topics().partitions();
        List<NewTopic> topics = List.of(
                new NewTopic(raw(stream), partitions, replication),
                new NewTopic(processed(stream), partitions, replication),
                new NewTopic(rejected(stream), 1, replication)
                        .configs(Map.of(
                                "retention.ms",
                                String.valueOf(Duration.ofDays(7).toMillis()))));
        try (Admin admin =
                Admin.create(clients.with(Map.of(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000)))) {
            for (var result : admin.createTopics(topics).values().entrySet()) {
                try {
                    result.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(
                                "Could not create topic " + result.getKey() + ": "
                                        + e.getCause().getMessage(),
                                e.getCause());
                    }
                } catch (TimeoutException e) {
                    throw new IllegalStateException("Kafka did not create topic " + result.getKey() + " in 30 s", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while creating topic " + result.getKey(), e);
                }
            }
            TopicLeaders.await(admin, topics.stream().map(NewTopic::name).toList(), LEADER_TIMEOUT);
        }
    }
}
