package io.skywatch.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.skywatch.deadletters.DeadLetterSink;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes every run-time stream's raw topic (subscribed by pattern, so a new stream needs no restart): each
 * event is enriched, stored once (by its stream's dedupe key) and published to the processed topic. A batch is
 * acknowledged only once its events are stored and published; a failure retries the batch. An event is marked
 * published after the broker's ack, so a redelivered batch publishes only what had not gone out: the processed
 * topic gets each event once, except for the events of a batch interrupted between publish and mark.
 */
@ApplicationScoped
public class StreamEventConsumer {

    /** Incoming channel of the raw topics. */
    public static final String INCOMING = "streams-in";
    /** Outgoing channel of the streams dead-letter topic. */
    public static final String DEAD_LETTERS = "streams-dlq";

    private final StreamRegistry registry;
    private final StreamStore store;
    private final StreamPublisher publisher;
    private final ObjectMapper mapper;
    private final DeadLetterSink deadLetters;

    public StreamEventConsumer(
            StreamRegistry registry,
            StreamStore store,
            StreamPublisher publisher,
            ObjectMapper mapper,
            @Channel(DEAD_LETTERS) MutinyEmitter<byte[]> deadLetters,
            MeterRegistry meters) {
        this.registry = registry;
        this.store = store;
        this.publisher = publisher;
        this.mapper = mapper;
        this.deadLetters = new DeadLetterSink(deadLetters, meters, "streams");
    }

    @Incoming(INCOMING)
    public Uni<Void> consume(ConsumerRecords<String, byte[]> records) {
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
        return join(poison)
                .chain(() -> store.storeAll(all))
                .chain(() -> join(byStream.entrySet().stream()
                        .map(entry -> publishUnpublished(entry.getKey(), entry.getValue()))
                        .toList()))
                .onFailure()
                .invoke(failure -> Log.warnf(
                        "Streams batch of %d records failed, retrying: %s", records.count(), failure.toString()))
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
        event.dedupeKey = "kafka:" + record.partition() + ":" + record.offset();
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

    private Uni<Void> publishUnpublished(String stream, List<StoredStreamEvent> batch) {
        Map<String, Integer> order = new HashMap<>();
        batch.forEach(event -> order.putIfAbsent(event.dedupeKey, order.size()));
        return store.unpublished(stream, List.copyOf(order.keySet())).chain(pending -> {
            // The stored copy is what goes out: a resent event publishes as it was first processed.
            List<StoredStreamEvent> inBatchOrder = pending.stream()
                    .sorted(Comparator.comparingInt(event -> order.get(event.dedupeKey)))
                    .toList();
            return publisher
                    .publish(
                            StreamTopics.processed(stream),
                            inBatchOrder.stream()
                                    .map(event -> new StreamPublisher.Outgoing(event.key, event.json, null))
                                    .toList())
                    .chain(() -> store.markPublished(
                            stream,
                            inBatchOrder.stream().map(event -> event.dedupeKey).toList()));
        });
    }

    private static Uni<Void> join(List<Uni<Void>> unis) {
        return unis.isEmpty()
                ? Uni.createFrom().voidItem()
                : Uni.join().all(unis).andFailFast().replaceWithVoid();
    }
}
