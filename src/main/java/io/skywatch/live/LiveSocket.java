package io.skywatch.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.quarkus.logging.Log;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.skywatch.alerts.AlertStore;
import io.skywatch.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code /ws/live}: alerts, readings and rocket states as they happen. A client chooses what it gets with query
 * parameters on connect ({@code ?streams=alerts,sensors&stations=st-1&severity=warning}) or later with a
 * {@code {"type":"subscribe",…}} message of the same names; it first receives a {@code subscribed} message and
 * the currently open alerts it asked for ({@code alerts-open}), then live messages.
 */
@WebSocket(path = "/ws/live")
@RolesAllowed({Roles.VIEWER, Roles.ADMIN})
public class LiveSocket {

    /** Most open alerts a greeting lists. */
    private static final int MAX_OPEN_ALERTS = 10_000;
    /** RFC 6455 close code for a request the endpoint will not serve. */
    private static final int POLICY_VIOLATION = 1008;

    private final LiveHub hub;
    private final AlertStore alerts;
    private final ObjectMapper mapper;

    public LiveSocket(LiveHub hub, AlertStore alerts, ObjectMapper mapper) {
        this.hub = hub;
        this.alerts = alerts;
        this.mapper = mapper;
    }

    @OnOpen
    public Uni<Void> open(WebSocketConnection connection) {
        Subscription subscription;
        try {
            String query = connection.handshakeRequest().query();
            subscription = Subscription.parse(new QueryStringDecoder(query == null ? "" : query, false).parameters());
        } catch (IllegalArgumentException invalid) {
            return connection
                    .sendText(error(invalid.getMessage()))
                    .chain(() -> connection.close(new CloseReason(POLICY_VIOLATION, "bad subscription")));
        }
        LiveClient client = hub.register(connection, subscription);
        return greet(client, subscription);
    }

    @OnTextMessage
    public Uni<Void> message(String text, WebSocketConnection connection) {
        LiveClient client = hub.client(connection.id());
        if (client == null) {
            return Uni.createFrom().voidItem();
        }
        Subscription next;
        try {
            JsonNode node = mapper.readTree(text);
            if (node == null
                    || !node.isObject()
                    || !"subscribe".equals(node.path("type").asText())) {
                throw new IllegalArgumentException(
                        "expected {\"type\":\"subscribe\",\"streams\":[…],\"stations\":[…],\"channels\":[…],"
                                + "\"metrics\":[…],\"severity\":\"…\"}");
            }
            next = Subscription.parse(values(node));
        } catch (JsonProcessingException e) {
            client.enqueue(error("message is not JSON"));
            return Uni.createFrom().voidItem();
        } catch (IllegalArgumentException invalid) {
            client.enqueue(error(invalid.getMessage()));
            return Uni.createFrom().voidItem();
        }
        client.subscribe(next);
        return greet(client, next);
    }

    @OnClose
    public void close(WebSocketConnection connection) {
        hub.remove(connection.id());
    }

    private Uni<Void> greet(LiveClient client, Subscription subscription) {
        List<String> greeting = new ArrayList<>();
        ObjectNode subscribed = mapper.createObjectNode().put("type", "subscribed");
        subscribed.set("subscription", mapper.valueToTree(subscription));
        greeting.add(subscribed.toString());
        if (!subscription.wantsAlerts()) {
            client.greet(greeting);
            return Uni.createFrom().voidItem();
        }
        return alerts.open(subscription.sources(), subscription.metrics(), subscription.minSeverity(), MAX_OPEN_ALERTS)
                .map(open -> {
                    ObjectNode node = mapper.createObjectNode().put("type", "alerts-open");
                    node.set("alerts", mapper.valueToTree(open));
                    greeting.add(node.toString());
                    return greeting;
                })
                .onFailure()
                .recoverWithItem(failure -> {
                    Log.warnf("Open alerts could not be read for a live client: %s", failure.toString());
                    greeting.add(error("open alerts are unavailable right now; live alerts follow"));
                    return greeting;
                })
                .invoke(client::greet)
                .replaceWithVoid();
    }

    private static Map<String, List<String>> values(JsonNode node) {
        Map<String, List<String>> values = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            List<String> list = new ArrayList<>();
            if (field.getValue().isArray()) {
                field.getValue().forEach(item -> list.add(item.asText()));
            } else {
                list.add(field.getValue().asText());
            }
            values.put(field.getKey(), list);
        }
        return values;
    }

    private String error(String detail) {
        return mapper.createObjectNode()
                .put("type", "error")
                .put("detail", detail)
                .toString();
    }
}
