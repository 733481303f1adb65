package io.skywatch.live;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.websockets.next.WebSocketConnection;
import io.skywatch.config.SkywatchConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The live clients of this replica, and the fan-out of every live message to those that want it. */
@ApplicationScoped
public class LiveHub {

    /** Redelivered alert changes recognised and not pushed twice. */
    private static final int REMEMBERED_KEYS = 20_000;

    private final Map<String, LiveClient> clients = new ConcurrentHashMap<>();
    private final Map<String, Boolean> recentKeys =
            Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED_KEYS;
                }
            });
    private final int clientQueue;
    private final Counter pushed;
    private final Counter dropped;

    public LiveHub(SkywatchConfig config, MeterRegistry registry) {
        this.clientQueue = config.live().clientQueue();
        Gauge.builder("skywatch.live.sessions", clients, Map::size)
                .description("Open /ws/live connections on this replica")
                .register(registry);
        this.pushed = Counter.builder("skywatch.live.messages")
                .description("Live messages fanned out to this replica's clients")
                .register(registry);
        this.dropped = Counter.builder("skywatch.live.dropped")
                .description("Messages dropped from slow clients' queues")
                .register(registry);
    }

    LiveClient register(WebSocketConnection connection, Subscription subscription) {
        LiveClient client =
                new LiveClient(LiveClient.Outbox.of(connection), subscription, clientQueue, dropped::increment);
        clients.put(connection.id(), client);
        return client;
    }

    LiveClient client(String connectionId) {
        return clients.get(connectionId);
    }

    void remove(String connectionId) {
        clients.remove(connectionId);
    }

    /** Hands a message to every client that wants it; a copy already handed out is dropped. */
    public void publish(LiveMessage message) {
        if (message.dedupeKey() != null && recentKeys.putIfAbsent(message.dedupeKey(), Boolean.TRUE) != null) {
            return;
        }
        pushed.increment();
        clients.values().forEach(client -> client.offer(message));
    }
}
