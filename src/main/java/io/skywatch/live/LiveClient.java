package io.skywatch.live;

import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * One WebSocket client: its subscription and a bounded queue drained one send at a time. A client that reads
 * slower than messages come loses the oldest queued ones, never slows the fan-out, and is told how many it
 * lost by a {@code {"type":"dropped","count":N}} message where the gap is.
 */
final class LiveClient {

    /** Where the client's messages go: its WebSocket connection. */
    interface Outbox {
        Uni<Void> send(String text);

        boolean isClosed();

        static Outbox of(WebSocketConnection connection) {
            return new Outbox() {
                @Override
                public Uni<Void> send(String text) {
                    return connection.sendText(text);
                }

                @Override
                public boolean isClosed() {
                    return connection.isClosed();
                }
            };
        }
    }

    private final Outbox connection;
    private final int capacity;
    private final LongConsumer onDropped;
    private final Deque<String> queue = new ArrayDeque<>();

    private volatile Subscription subscription;
    /** False until the client has its greeting and the open alerts: live messages wait behind them. */
    private boolean started;

    private boolean sending;
    private long droppedSinceLastNotice;

    LiveClient(Outbox connection, Subscription subscription, int capacity, LongConsumer onDropped) {
        this.connection = connection;
        this.subscription = subscription;
        this.capacity = capacity;
        this.onDropped = onDropped;
    }

    Subscription subscription() {
        return subscription;
    }

    void offer(LiveMessage message) {
        if (subscription.wants(message)) {
            enqueue(message.json());
        }
    }

    /** Replaces the subscription: live messages from now on are judged by it. */
    void subscribe(Subscription next) {
        subscription = next;
    }

    /**
     * Puts {@code greeting} (what the client now gets, the open alerts it asked for) ahead of the live messages
     * queued meanwhile, and starts sending. Those are kept: an alert that changed while the open alerts were
     * read may come twice, but never not at all.
     */
    void greet(List<String> greeting) {
        synchronized (this) {
            for (int i = greeting.size() - 1; i >= 0; i--) {
                queue.addFirst(greeting.get(i));
            }
            started = true;
        }
        drain();
    }

    void enqueue(String json) {
        long dropped = 0;
        synchronized (this) {
            if (queue.size() >= capacity) {
                queue.pollFirst();
                droppedSinceLastNotice++;
                dropped = 1;
            }
            queue.addLast(json);
        }
        if (dropped > 0) {
            onDropped.accept(dropped);
        }
        drain();
    }

    private void drain() {
        String next;
        synchronized (this) {
            if (sending || !started || connection.isClosed()) {
                return;
            }
            if (droppedSinceLastNotice > 0) {
                next = "{\"type\":\"dropped\",\"count\":" + droppedSinceLastNotice + "}";
                droppedSinceLastNotice = 0;
            } else {
                next = queue.pollFirst();
                if (next == null) {
                    return;
                }
            }
            sending = true;
        }
        connection.send(next).subscribe().with(ok -> sent(), failure -> sent());
    }

    private void sent() {
        synchronized (this) {
            sending = false;
        }
        drain();
    }
}
