package io.skywatch.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes alert changes to the alerts topic, keyed by station. Every replica reads the whole topic to push
 * alerts to its WebSocket clients, so a client sees every alert whichever replica raised it. A change is
 * published before the station state that records it is written: a retry may publish it twice (live
 * subscribers drop the copy), but a change is never stored without being published.
 */
@ApplicationScoped
public class AlertPublisher {

    /** Outgoing channel of the alerts topic. */
    public static final String OUTGOING = "alerts-out";

    private final MutinyEmitter<String> emitter;
    private final ObjectMapper mapper;

    public AlertPublisher(@Channel(OUTGOING) MutinyEmitter<String> emitter, ObjectMapper mapper) {
        this.emitter = emitter;
        this.mapper = mapper;
    }

    /** Completes when the broker has acknowledged every change. */
    public Uni<Void> publish(List<AlertTracker.Change> changes) {
        if (changes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join()
                .all(changes.stream()
                        .map(change -> emitter.sendMessage(Message.of(json(change))
                                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                                        .withKey(change.alert().stationId)
                                        .build())))
                        .toList())
                .andFailFast()
                .replaceWithVoid();
    }

    /** The change as live clients receive it: {@code {"type":"alert","transition":…,"alert":{…}}}. */
    public String json(AlertTracker.Change change) {
        ObjectNode node = mapper.createObjectNode();
        node.put("type", "alert");
        node.put("transition", change.transition().name());
        node.set("alert", mapper.valueToTree(change.alert()));
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An alert could not be written as JSON", e);
        }
    }
}
