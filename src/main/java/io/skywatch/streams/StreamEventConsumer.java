package io.skywatch.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.skywatch.deadletters.DeadLetterSink;
import io.skywatch.kafka.ConsumerThreads;
import io.skywatch.observability.LogFields;
import io.skywatch.observability.PipelineMetrics;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes every run-time stream's raw topic (subscribed by pattern, so a new stream needs no restart): each
 * event is enriched, stored once (by its stream's dedupe key) and published to the processed topic. A batch is
 * acknowledged only once its events are stored and published; a failure retries the batch. An event is marked
 * published after the broker's ack, so a redelivered batch publishes only what had not gone out: the processed
 * topic gets each event once, except for the events of a batch interrupted between publish and mark. A stream
 * with a sequence field publishes through its {@link StreamSequencer} instead, in order per key. Then the
 * stream's aggregations take the batch, per partition (see {@link StreamAggregates}).
 */
@ApplicationScoped
public class StreamEventConsumer {

    /** Incoming channel of the raw topics. */
    public static final String INCOMING = "streams-in";
    /** Outgoing channel of the streams dead-letter topic. */
    public static final String DEAD_LETTERS = "streams-dlq";

    private final ConsumerThreads consumerThreads;
    private final StreamRegistry registry;
    private final StreamStore store;
    private final StreamPublisher publisher;
    private final ObjectMapper mapper;
    private final PipelineMetrics pipelineMetrics;
    private final DeadLetterSink deadLetters;
    private final StreamAggregates aggregates;
    private final StreamSequencer sequencer;
    private final StreamPartitions partitions;

    public StreamEventConsumer(
            StreamRegistry registry,
            StreamStore store,
            StreamPublisher publisher,
            ObjectMapper mapper,
            @Channel(DEAD_LETTERS) MutinyEmitter<byte[]> deadLetters,
            MeterRegistry meters,
            PipelineMetrics pipelineMetrics,
            StreamAggregates aggregates,
            StreamSequencer sequencer,
            @Identifier(StreamPartitions.LISTENER) StreamPartitions partitions,
            ConsumerThreads consumerThreads) {
        this.consumerThreads = consumerThreads;
        this.partitions = partitions;
        this.aggregates = aggregates;
        this.sequencer = sequencer;
        this.registry = registry;
        this.store = store;
        this.publisher = publisher;
        this.mapper = mapper;
        this.deadLetters = new DeadLetterSink(deadLetters, meters, "streams");
        this.pipelineMetrics = pipelineMetrics;
    }

    @Incoming(INCOMING)
    public Uni<Void> consume(ConsumerRecords<String, byte[]> records) {
        return consumerThreads.run("streams", () -> store(records));
    }

    private Uni<Void> store(ConsumerRecords<String, byte[]> records) {
        long startNanos = System.nanoTime();
        Instant processedAt = Instant.now();
        Map<String, List<StoredStreamEvent>> byStream = new LinkedHashMap<>();
        List<Uni<Void>> poison = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                StoredStreamEvent event = read(record, processedAt);
                byStream.computeIfAbsent(event.stream, s -> new ArrayList<>()).add(event);
            } catch (IOException unreadable) {
                poison.add(deadLetters.send(record, new UncheckedIOException(unreadable)));
            } catch (RuntimeException unreadable) {
                poison.add(deadLetters.send(record, unreadable));
            }
        }
        List<StoredStreamEvent> all =
                byStream.values().stream().flatMap(List::stream).toList();
        Map<String, Map<Integer, Long>> latestByTopic = new HashMap<>();
        Map<String, Map<Integer, Long>> lastOffsetByTopic = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            latestByTopic
                    .computeIfAbsent(record.topic(), t -> new HashMap<>())
                    .merge(record.partition(), record.timestamp(), Math::max);
            lastOffsetByTopic
                    .computeIfAbsent(record.topic(), t -> new HashMap<>())
                    .merge(record.partition(), record.offset(), Math::max);
        }
        return join(poison)
                .chain(() -> store.storeAll(all))
                .chain(() -> join(byStream.entrySet().stream()
                        .map(entry -> publishAndAggregate(entry.getKey(), entry.getValue()))
                        .toList()))
                .invoke(() -> latestByTopic.forEach(
                        (topic, latest) -> partitions.processed(topic, latest, lastOffsetByTopic.get(topic))))
                .invoke(() -> pipelineMetrics.stored("streams", records, startNanos))
                .onFailure()
                .invoke(failure -> LogFields.with(
                        "streams",
                        null,
                        () -> Log.warnf(
                                "Streams batch of %d records failed, retrying: %s",
                                records.count(), failure.toString())))
                .onFailure()
                .retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5))
                .indefinitely();
    }

    private StoredStreamEvent read(ConsumerRecord<String, byte[]> record, Instant processedAt) throws IOException {
        if (record.value() == null || record.key() == null) {
            throw new IllegalArgumentException("record has no key or no value");
        }
        JsonNode node = mapper.readTree(record.value());
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("record value is not a JSON object");
        }
        StoredStreamEvent event = new StoredStreamEvent();
        event.stream = StreamTopics.streamOf(record.topic());
        event.key = record.key();
        event.acceptedAt = Instant.ofEpochMilli(record.timestamp());
        event.time = event.acceptedAt;
        event.source = record.partition() + ":" + record.offset();
        event.dedupeKey = "kafka:" + event.source;
        // A stream deleted since the event was accepted still gets its accepted events stored, as they came.
        StreamRegistry.Active stream = registry.get(event.stream);
        ObjectNode enriched = (ObjectNode) node;
        if (stream != null) {
            StreamDefinition definition = stream.definition();
            if (definition.sequenceField != null) {
                event.sequence = EventFields.get(node, definition.sequenceField).asLong();
                event.dedupeKey = "seq:" + event.key + ":" + event.sequence;
            } else if (definition.idField != null) {
                event.dedupeKey =
                        "id:" + EventFields.get(node, definition.idField).asText();
            }
            Instant eventTime = definition.eventTimeField == null
                    ? null
                    : EventTimes.parse(EventFields.get(node, definition.eventTimeField), definition.eventTimeUnit);
            if (eventTime != null) {
                event.time = eventTime;
                if (definition.enrich.eventTimeUtc) {
                    enriched.put("eventTimeUtc", eventTime.toString());
                }
            }
            if (definition.enrich.processingTime) {
                enriched.put("processedAt", processedAt.toString());
            }
        }
        event.json = enriched.toString();
        return event;
    }

    /**
     * Publishes the batch's events that are stored but not yet published, then applies the batch to the stream's
     * aggregations, counting an event only where it is the stored occurrence (not a resent copy).
     */
    private Uni<Void> publishAndAggregate(String stream, List<StoredStreamEvent> batch) {
        Map<String, Integer> order = new HashMap<>();
        batch.forEach(event -> order.putIfAbsent(event.dedupeKey, order.size()));
        return store.stored(stream, List.copyOf(order.keySet())).chain(stored -> {
            // The stored copy is what goes out: a resent event publishes as it was first processed.
            Map<String, String> storedSource = new HashMap<>();
            stored.forEach(event -> storedSource.put(event.dedupeKey, event.source));
            StreamRegistry.Active active = registry.get(stream);
            if (active != null && active.definition().sequenceField != null) {
                return sequence(stream, batch).chain(() -> aggregate(stream, batch, storedSource));
            }
            List<StoredStreamEvent> unpublished = stored.stream()
                    .filter(event -> !event.published)
                    .sorted(Comparator.comparingInt(event -> order.get(event.dedupeKey)))
                    .toList();
            return publisher
                    .publish(
                            StreamTopics.processed(stream),
                            unpublished.stream()
                                    .map(event -> new StreamPublisher.Outgoing(event.key, event.json, null))
                                    .toList())
                    .chain(() -> store.markPublished(
                            stream,
                            unpublished.stream().map(event -> event.dedupeKey).toList()))
                    .chain(() -> aggregate(stream, batch, storedSource));
        });
    }

    /**
     * A stream with a sequence field: each key's events go through its sequencer, which publishes them in order;
     * then keys of the batch's partitions that wait for a missing number get the partition's time.
     */
    private Uni<Void> sequence(String stream, List<StoredStreamEvent> batch) {
        Map<String, List<StoredStreamEvent>> byKey = new LinkedHashMap<>();
        Map<Integer, Instant> latestByPartition = new TreeMap<>();
        Map<String, Integer> partitionOfKey = new HashMap<>();
        for (StoredStreamEvent event : batch) {
            byKey.computeIfAbsent(event.key, k -> new ArrayList<>()).add(event);
            int partition = Integer.parseInt(event.source.split(":")[0]);
            partitionOfKey.put(event.key, partition);
            latestByPartition.merge(partition, event.acceptedAt, (a, b) -> a.isAfter(b) ? a : b);
        }
        return join(byKey.entrySet().stream()
                        .map(entry -> {
                            int partition = partitionOfKey.get(entry.getKey());
                            return sequencer.offer(
                                    stream,
                                    entry.getKey(),
                                    partition,
                                    entry.getValue(),
                                    latestByPartition.get(partition));
                        })
                        .toList())
                .chain(() -> join(latestByPartition.entrySet().stream()
                        .map(entry -> sequencer.sweep(stream, entry.getKey(), entry.getValue()))
                        .toList()));
    }

    private Uni<Void> aggregate(String stream, List<StoredStreamEvent> batch, Map<String, String> storedSource) {
        StreamRegistry.Active active = registry.get(stream);
        if (active == null || active.definition().aggregations.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Map<Integer, List<StreamAggregates.Applied>> byPartition = new TreeMap<>();
        for (StoredStreamEvent event : batch) {
            String[] source = event.source.split(":");
            JsonNode json;
            try {
                json = mapper.readTree(event.json);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            byPartition
                    .computeIfAbsent(Integer.parseInt(source[0]), p -> new ArrayList<>())
                    .add(new StreamAggregates.Applied(
                            Long.parseLong(source[1]),
                            event.time,
                            json,
                            event.source.equals(storedSource.get(event.dedupeKey))));
        }
        return join(byPartition.entrySet().stream()
                .map(entry -> aggregates.apply(stream, entry.getKey(), active.definition(), entry.getValue()))
                .toList());
    }

    private static Uni<Void> join(List<Uni<Void>> unis) {
        return unis.isEmpty()
                ? Uni.createFrom().voidItem()
                : Uni.join().all(unis).andFailFast().replaceWithVoid();
    }
}
