package io.skywatch.emitters;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * Feeds {@code POST /streams/{name}/events} from a {@link StreamEvents} generator in JSON-array batches at a
 * steady rate, after defining the stream if the gateway does not know it yet. A batch's refusals that the
 * generator built in are expected; any other refusal is unexpected.
 */
public final class StreamEventsEmitter {

    /**
     * @param maxEvents 0 for no limit
     * @param duration null for no limit
     * @param define define the stream when it does not exist ({@code false}: it must exist)
     */
    public record Settings(
            URI url,
            String stream,
            double eventsPerSecond,
            int batchSize,
            long maxEvents,
            Duration duration,
            int concurrency,
            boolean define,
            Duration giveUpAfter,
            String apiKey) {

        /** Without an API key: for an open gateway. */
        public Settings(
                URI url,
                String stream,
                double eventsPerSecond,
                int batchSize,
                long maxEvents,
                Duration duration,
                int concurrency,
                boolean define,
                Duration giveUpAfter) {
            this(url, stream, eventsPerSecond, batchSize, maxEvents, duration, concurrency, define, giveUpAfter, null);
        }
    }

    private final Settings settings;
    private final StreamEvents events;
    private final Progress progress;
    private final Pacer pacer;
    private long expectedRejected;
    private long expectedFiltered;

    public StreamEventsEmitter(Settings settings, StreamEvents events, Progress progress) {
        this.settings = settings;
        this.events = events;
        this.progress = progress;
        this.pacer = new Pacer(settings.eventsPerSecond(), settings.maxEvents(), settings.duration());
    }

    /** Defines the stream if needed and asked to; returns what was done, for the CLI to print. */
    public String ensureStream() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        URI streamUri = settings.url().resolve("/streams/" + settings.stream());
        int status = http.send(
                        HttpSender.authorize(HttpRequest.newBuilder(streamUri), settings.apiKey())
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
        if (status == 200) {
            return "stream '" + settings.stream() + "' exists; its definition is used as it is";
        }
        if (status == 403) {
            // An emitter key may write events but not read definitions: the stream must be defined by an admin.
            return "this key may not read stream definitions; sending to '" + settings.stream() + "' as defined";
        }
        if (status != 404) {
            throw new IOException("GET " + streamUri + " answered " + status);
        }
        if (!settings.define()) {
            throw new IOException("stream '" + settings.stream() + "' is not defined (define it with "
                    + "--print-definition and POST /streams, or drop --no-define)");
        }
        HttpResponse<String> created = http.send(
                HttpSender.authorize(HttpRequest.newBuilder(settings.url().resolve("/streams")), settings.apiKey())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(events.definition(settings.stream())))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        // 409: another emitter defined it in between, which is just as good.
        if (created.statusCode() != 201 && created.statusCode() != 409) {
            throw new IOException("POST /streams answered " + created.statusCode() + ": " + created.body());
        }
        return "defined stream '" + settings.stream() + "'";
    }

    public Progress.Snapshot run() throws InterruptedException {
        try (HttpSender sender = new HttpSender(
                settings.url(), settings.concurrency(), settings.giveUpAfter(), progress, settings.apiKey())) {
            String path = "/streams/" + settings.stream() + "/events";
            int batch;
            while ((batch = pacer.next(settings.batchSize())) > 0) {
                StringBuilder body = new StringBuilder("[");
                int rejected = 0;
                Instant now = Instant.now();
                for (int i = 0; i < batch; i++) {
                    StreamEvents.Event event = events.next(now);
                    body.append(i == 0 ? "" : ",").append(event.json());
                    rejected += event.expectRejected() ? 1 : 0;
                    expectedFiltered += event.expectFiltered() ? 1 : 0;
                }
                expectedRejected += rejected;
                sender.awaitCapacity();
                sender.send(new HttpSender.Request(
                        path, "application/json", body.append(']').toString(), batch, rejected));
            }
            sender.awaitIdle(settings.giveUpAfter().plusSeconds(5));
        }
        return progress.snapshot();
    }

    public void stop() {
        pacer.stop();
    }

    public Progress progress() {
        return progress;
    }

    /** Events sent that were built to be refused. */
    public long expectedRejected() {
        return expectedRejected;
    }

    /** Events sent that were built to be dropped by a filter. */
    public long expectedFiltered() {
        return expectedFiltered;
    }
}
