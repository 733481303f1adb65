package io.skywatch.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/** A {@code /ws/live} client over the JDK's WebSocket: every text message kept with the time it arrived. */
public final class LiveSocketClient implements AutoCloseable {

    /** A message as received. */
    public record Received(long receivedAtNanos, JsonNode json) {

        public String type() {
            return json.path("type").asText();
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final WebSocket socket;

    private LiveSocketClient(URI uri, String apiKey) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
        if (apiKey != null) {
            builder.header(Auth.HEADER, apiKey);
        }
        this.socket = builder.connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        long now = System.nanoTime();
                        partial.append(data);
                        if (last) {
                            try {
                                received.add(new Received(now, MAPPER.readTree(partial.toString())));
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                            partial.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }
                })
                .orTimeout(10, TimeUnit.SECONDS)
                .join();
    }

    /**
     * Connects to {@code /ws/live} of the application under test as the bootstrap admin; {@code query} chooses the
     * subscription.
     */
    public static LiveSocketClient connect(URI httpUri, String query) {
        return connect(httpUri, query, Auth.adminKey());
    }

    /** Connects with this API key in the X-API-Key header (none when null). */
    public static LiveSocketClient connect(URI httpUri, String query, String apiKey) {
        String ws = httpUri.toString().replaceFirst("^http", "ws");
        return new LiveSocketClient(URI.create(ws + (query.isEmpty() ? "" : "?" + query)), apiKey);
    }

    public void send(String text) {
        socket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    public List<Received> ofType(String type) {
        return received.stream().filter(message -> message.type().equals(type)).toList();
    }

    /** Waits until a received message matches. */
    public Received await(Predicate<Received> wanted, Duration atMost) {
        Awaitility.await().atMost(atMost).until(() -> received.stream().anyMatch(wanted));
        return received.stream().filter(wanted).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done")
                .orTimeout(5, TimeUnit.SECONDS)
                .exceptionally(e -> null);
    }
}
