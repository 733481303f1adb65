package io.skywatch.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.skywatch.config.SkywatchConfig;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes applied readings and rocket states to the live topic that every replica reads. These are
 * notifications about data already stored, not data: a publish that fails is counted and logged, and the
 * stored state stays the truth (clients re-read it from the query API after reconnecting). That is why,
 * unlike alerts, the stream does not wait for them.
 */
@ApplicationScoped
public class LiveUpdates {

    /** Outgoing channel of the live topic. */
    public static final String OUTGOING = "live-out";

    private final MutinyEmitter<String> emitter;
    private final ObjectMapper mapper;
    private final boolean enabled;
    private final Counter failures;

    public LiveUpdates(
            @Channel(OUTGOING) MutinyEmitter<String> emitter,
            ObjectMapper mapper,
            SkywatchConfig config,
            MeterRegistry registry) {
        this.emitter = emitter;
        this.mapper = mapper;
        this.enabled = config.live().updates();
        this.failures = Counter.builder("skywatch.live.publish.failures")
                .description("Live updates (readings, rocket states) the live topic did not take")
                .register(registry);
    }

    /** A reading a station's state has taken. */
    public void reading(String stationId, Instant timestamp, Long sequence, Map<String, Double> metrics) {
        if (!enabled) {
            return;
        }
        ObjectNode node = mapper.createObjectNode();
        node.put("type", "reading");
        node.put("stationId", stationId);
        node.put("timestamp", timestamp.toString());
        if (sequence != null) {
            node.put("sequence", sequence);
        }
        node.set("metrics", mapper.valueToTree(metrics));
        send(stationId, node);
    }

    /** A rocket's state after the stream applied messages to it. */
    public void rocket(String channel, Object view) {
        if (!enabled) {
            return;
        }
        ObjectNode node = mapper.createObjectNode();
        node.put("type", "rocket");
        node.put("channel", channel);
        node.set("rocket", mapper.valueToTree(view));
        send(channel, node);
    }

    /** A closed window of a run-time stream's aggregation, as one partition counted it. */
    public void aggregate(String stream, int partition, Object window) {
        if (!enabled) {
            return;
        }
        ObjectNode node = mapper.createObjectNode();
        node.put("type", "aggregate");
        node.put("stream", stream);
        node.put("partition", partition);
        node.set("window", mapper.valueToTree(window));
        send(stream, node);
    }

    private void send(String key, ObjectNode node) {
        String json;
        try {
            json = mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A live update could not be written as JSON", e);
        }
        emitter.sendMessage(Message.of(json)
                        .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                                .withKey(key)
                                .build()))
                .subscribe()
                .with(ok -> {}, failure -> {
                    failures.increment();
                    Log.debugf("Live update for %s not published: %s", key, failure.toString());
                });
    }
}
