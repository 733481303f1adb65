package io.skywatch.deadletters;

import io.skywatch.kafka.KafkaClients;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Blocking reads of dead-letter topics: offsets through an Admin client, recent records through a consumer. */
@ApplicationScoped
public class DeadLetterTopics {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int PREVIEW_BYTES = 2048;

    private final KafkaClients clients;
    private volatile Admin admin;

    public DeadLetterTopics(KafkaClients clients) {
        this.clients = clients;
    }

    /**
     * One dead-lettered record.
     *
     * @param partition partition of the dead-letter topic
     * @param offset offset in it
     * @param timestamp when it was dead-lettered
     * @param key the original record key (the channel)
     * @param reason why it could not be processed
     * @param source topic-partition@offset of the original record
     * @param value the original value, as text, cut to 2 KiB
     */
    public record DeadLetter(
            int partition, long offset, Instant timestamp, String key, String reason, String source, String value) {}

    long count(String topic) {
        Map<TopicPartition, Long> earliest = offsets(topic, OffsetSpec.earliest());
        Map<TopicPartition, Long> latest = offsets(topic, OffsetSpec.latest());
        return latest.entrySet().stream()
                .mapToLong(e -> e.getValue() - earliest.getOrDefault(e.getKey(), 0L))
                .sum();
    }

    List<DeadLetter> recent(String topic, int limit) {
        Map<TopicPartition, Long> earliest = offsets(topic, OffsetSpec.earliest());
        Map<TopicPartition, Long> latest = offsets(topic, OffsetSpec.latest());
        List<DeadLetter> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProperties())) {
            consumer.assign(latest.keySet());
            latest.forEach((partition, end) ->
                    consumer.seek(partition, Math.max(earliest.getOrDefault(partition, 0L), end - limit)));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (latest.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    found.add(toDeadLetter(record));
                }
            }
        }
        found.sort(Comparator.comparing(DeadLetter::timestamp));
        return found.size() > limit ? found.subList(found.size() - limit, found.size()) : found;
    }

    private static DeadLetter toDeadLetter(ConsumerRecord<String, byte[]> record) {
        String value = record.value() == null
                ? null
                : new String(record.value(), 0, Math.min(record.value().length, PREVIEW_BYTES), StandardCharsets.UTF_8);
        return new DeadLetter(
                record.partition(),
                record.offset(),
                Instant.ofEpochMilli(record.timestamp()),
                record.key(),
                header(record, DeadLetterRecords.REASON),
                header(record, DeadLetterRecords.TOPIC) + "-" + header(record, DeadLetterRecords.PARTITION) + "@"
                        + header(record, DeadLetterRecords.OFFSET),
                value);
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private Map<TopicPartition, Long> offsets(String topic, OffsetSpec spec) {
        try {
            Admin client = admin();
            List<TopicPartition> partitions = client
                    .describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .get(topic)
                    .partitions()
                    .stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
            partitions.forEach(partition -> request.put(partition, spec));
            Map<TopicPartition, Long> offsets = new java.util.HashMap<>();
            client.listOffsets(request)
                    .all()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .forEach((partition, info) -> offsets.put(partition, info.offset()));
            return offsets;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer for topic " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading topic " + topic, e);
        }
    }

    private Admin admin() {
        if (admin == null) {
            synchronized (this) {
                if (admin == null) {
                    admin = Admin.create(clients.with(Map.of()));
                }
            }
        }
        return admin;
    }

    private Properties consumerProperties() {
        Properties props = new Properties();
        props.putAll(clients.with(Map.of()));
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return props;
    }

    @PreDestroy
    void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
