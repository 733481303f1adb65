package io.skywatch.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.skywatch.alerts.Severity;
import java.io.IOException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads the alerts topic and the live topic, whole, on every replica (each replica is its own consumer group,
 * starting at the end), and hands each message to the hub. Nothing here is committed: a restarted replica's
 * clients get the open alerts from the store, not a replay.
 */
@jakarta.enterprise.context.ApplicationScoped
public class LiveFeed {

    /** Incoming channel of the alerts topic, per replica. */
    public static final String ALERTS = "alerts-live";
    /** Incoming channel of the live topic, per replica. */
    public static final String UPDATES = "updates-live";

    private final LiveHub hub;
    private final ObjectMapper mapper;

    public LiveFeed(LiveHub hub, ObjectMapper mapper) {
        this.hub = hub;
        this.mapper = mapper;
    }

    @Incoming(ALERTS)
    public void alert(String json) {
        JsonNode node = read(json);
        JsonNode alert = node == null ? null : node.path("alert");
        if (alert == null || !alert.isObject()) {
            return;
        }
        String transition = node.path("transition").asText();
        Severity severity = alert.hasNonNull("severity")
                ? Severity.valueOf(alert.get("severity").asText())
                : null;
        Set<String> metrics =
                alert.hasNonNull("metric") ? Set.of(alert.get("metric").asText()) : Set.of();
        // An UPDATED alert may grow several times: its peak tells the copies apart.
        String dedupeKey = alert.path("id").asText()
                + '|'
                + transition
                + ("UPDATED".equals(transition) ? "|" + alert.path("peakValue").asText() : "");
        hub.publish(new LiveMessage(
                LiveMessage.ALERTS, alert.path("stationId").asText(), metrics, severity, dedupeKey, json));
    }

    @Incoming(UPDATES)
    public void update(String json) {
        JsonNode node = read(json);
        if (node == null) {
            return;
        }
        switch (node.path("type").asText()) {
            case "reading" -> {
                Set<String> metrics = new HashSet<>();
                for (Iterator<String> names = node.path("metrics").fieldNames(); names.hasNext(); ) {
                    metrics.add(names.next());
                }
                hub.publish(new LiveMessage(
                        LiveMessage.SENSORS, node.path("stationId").asText(), metrics, null, null, json));
            }
            case "rocket" ->
                hub.publish(new LiveMessage(
                        LiveMessage.ROCKETS, node.path("channel").asText(), Set.of(), null, null, json));
            case "aggregate" ->
                hub.publish(new LiveMessage(
                        node.path("stream").asText(), node.path("stream").asText(), Set.of(), null, null, json));
            default -> Log.debugf("Live update of unknown type ignored: %s", node.path("type"));
        }
    }

    private JsonNode read(String json) {
        try {
            return mapper.readTree(json);
        } catch (IOException | RuntimeException unreadable) {
            Log.warnf("Unreadable live message ignored: %s", unreadable.toString());
            return null;
        }
    }
}
