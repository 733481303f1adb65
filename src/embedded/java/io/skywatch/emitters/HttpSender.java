package io.skywatch.emitters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Posts to the gateway over one keep-alive HTTP/1.1 client, at most {@code concurrency} requests at a time (the
 * rest wait in a queue), retrying what may succeed later until it is acknowledged.
 *
 * <p>
 * A 2xx is an acknowledgement. 429, 408, 5xx and connection errors are retried after the answer's
 * {@code Retry-After} or else 500 ms, like the Rockets challenge's emitter, and keep their slot meanwhile, so a
 * saturated gateway is not pushed harder. Any other 4xx would fail the same way again: it is counted as rejected
 * and, unless the request was built to be refused, as unexpected. A request still unacknowledged after
 * {@code giveUpAfter} is given up and counted as failed.
 */
public final class HttpSender implements AutoCloseable {

    /** Delay before a retry when the gateway does not say. */
    public static final Duration DEFAULT_RETRY_DELAY = Duration.ofMillis(500);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The header a gateway with security on reads API keys from. */
    public static final String API_KEY_HEADER = "X-API-Key";

    /**
     * One POST.
     *
     * @param path resolved against the gateway's base URL, e.g. {@code /messages}
     * @param contentType null to send none (the Rockets emitter sends none)
     * @param events events in the body, for the counters
     * @param expectedRejected events the emitter built to be refused (a batch endpoint's {@code rejected})
     */
    public record Request(String path, String contentType, String body, int events, int expectedRejected) {

        public static Request json(String path, String body, int events) {
            return new Request(path, "application/json", body, events, 0);
        }
    }

    /**
     * How a request ended.
     *
     * @param status the last HTTP status, or -1 if there was no answer
     * @param gaveUp true when it was still unacknowledged after the give-up time, or the sender was closed
     */
    public record Outcome(int status, String body, int attempts, boolean gaveUp) {

        public boolean acknowledged() {
            return status / 100 == 2;
        }
    }

    private final URI base;
    private final String apiKey;
    private final int concurrency;
    private final Duration giveUpAfter;
    private final Duration requestTimeout = Duration.ofSeconds(30);
    private final Progress progress;
    private final HttpClient http;
    private final ScheduledExecutorService retries;
    private final Object lock = new Object();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int inFlight;
    private volatile boolean closed;

    private static final class Pending {
        final Request request;
        final CompletableFuture<Outcome> result = new CompletableFuture<>();
        final long firstAttemptNanos = System.nanoTime();
        int attempts;

        Pending(Request request) {
            this.request = request;
        }
    }

    public HttpSender(URI base, int concurrency, Duration giveUpAfter, Progress progress) {
        this(base, concurrency, giveUpAfter, progress, null);
    }

    /** @param apiKey sent in {@code X-API-Key} with every request; null for an open gateway */
    public HttpSender(URI base, int concurrency, Duration giveUpAfter, Progress progress, String apiKey) {
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        this.base = base;
        this.concurrency = concurrency;
        this.giveUpAfter = giveUpAfter;
        this.progress = progress;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "emit-retries");
            t.setDaemon(true);
            return t;
        });
    }

    /** Adds the API key header when there is a key. */
    public static HttpRequest.Builder authorize(HttpRequest.Builder builder, String apiKey) {
        if (apiKey != null && !apiKey.isBlank()) {
            builder.header(API_KEY_HEADER, apiKey.trim());
        }
        return builder;
    }

    public URI base() {
        return base;
    }

    public Progress progress() {
        return progress;
    }

    /** Queues a POST; the future completes once it is acknowledged, refused or given up. */
    public CompletableFuture<Outcome> send(Request request) {
        Pending pending = new Pending(request);
        synchronized (lock) {
            if (closed) {
                pending.result.complete(new Outcome(-1, "emitter stopped", 0, true));
                return pending.result;
            }
            queue.add(pending);
        }
        dispatch();
        return pending.result;
    }

    /**
     * Blocks while {@code concurrency} requests are already queued or in flight: a generator that calls this before
     * each {@link #send} runs no further ahead of the gateway than that.
     */
    public void awaitCapacity() throws InterruptedException {
        synchronized (lock) {
            while (!closed && queue.size() + inFlight >= concurrency) {
                lock.wait(100);
            }
        }
    }

    /** Blocks until nothing is queued or in flight, or {@code atMost} has passed; true if idle. */
    public boolean awaitIdle(Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        synchronized (lock) {
            while (queue.size() + inFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, Math.min(100, left / 1_000_000)));
            }
        }
        return true;
    }

    private void dispatch() {
        List<Pending> start = new ArrayList<>();
        synchronized (lock) {
            while (inFlight < concurrency && !queue.isEmpty()) {
                inFlight++;
                start.add(queue.poll());
            }
        }
        for (Pending pending : start) {
            progress.inFlight.increment();
            attempt(pending);
        }
    }

    private void attempt(Pending pending) {
        if (closed) {
            finish(pending, new Outcome(-1, "emitter stopped", pending.attempts, true));
            return;
        }
        Request request = pending.request;
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(request.path()))
                .timeout(requestTimeout)
                .POST(HttpRequest.BodyPublishers.ofString(request.body()));
        if (request.contentType() != null) {
            builder.header("Content-Type", request.contentType());
        }
        authorize(builder, apiKey);
        progress.requests.increment();
        if (pending.attempts++ > 0) {
            progress.retried.increment();
        }
        http.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
            if (error != null) {
                retryLater(pending, DEFAULT_RETRY_DELAY, -1, describe(error));
            } else {
                answered(pending, response);
            }
        });
    }

    private void answered(Pending pending, HttpResponse<String> response) {
        int status = response.statusCode();
        Request request = pending.request;
        if (status / 100 == 2) {
            count(request, response.body());
            finish(pending, new Outcome(status, response.body(), pending.attempts, false));
        } else if (status == 429 || status == 408 || status >= 500) {
            retryLater(pending, retryAfter(response), status, status + " " + response.body());
        } else {
            progress.rejected.add(request.events());
            int unexpected = request.events() - request.expectedRejected();
            if (unexpected > 0) {
                progress.unexpectedRejections.add(unexpected);
                progress.problem("POST " + request.path() + " answered " + status + ": " + abbreviate(response.body()));
            }
            finish(pending, new Outcome(status, response.body(), pending.attempts, false));
        }
    }

    /** A batch endpoint says how many of its items it took; a single-event endpoint's 2xx takes the event. */
    private void count(Request request, String body) {
        JsonNode answer = null;
        if (body != null && body.startsWith("{")) {
            try {
                answer = JSON.readTree(body);
            } catch (IOException e) {
                // not a batch answer: the whole request was acknowledged
            }
        }
        if (answer == null || !answer.has("accepted")) {
            progress.acknowledged.add(request.events());
            return;
        }
        progress.acknowledged.add(answer.path("accepted").asLong());
        long rejected = answer.path("rejected").asLong();
        progress.rejected.add(rejected);
        progress.filtered.add(answer.path("filtered").asLong());
        if (rejected > request.expectedRejected()) {
            progress.unexpectedRejections.add(rejected - request.expectedRejected());
            progress.problem("POST " + request.path() + " rejected " + rejected + " of " + request.events() + ": "
                    + abbreviate(answer.path("rejections").toString()));
        }
    }

    private void retryLater(Pending pending, Duration delay, int status, String why) {
        if (closed) {
            finish(pending, new Outcome(status, why, pending.attempts, true));
            return;
        }
        if (System.nanoTime() - pending.firstAttemptNanos > giveUpAfter.toNanos()) {
            progress.failed.add(pending.request.events());
            progress.problem("gave up on POST " + pending.request.path() + " after " + pending.attempts
                    + " attempts; last: " + abbreviate(why));
            finish(pending, new Outcome(status, why, pending.attempts, true));
            return;
        }
        try {
            retries.schedule(() -> attempt(pending), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            finish(pending, new Outcome(status, why, pending.attempts, true));
        }
    }

    private void finish(Pending pending, Outcome outcome) {
        progress.inFlight.decrement();
        synchronized (lock) {
            inFlight--;
            lock.notifyAll();
        }
        pending.result.complete(outcome);
        dispatch();
    }

    private static Duration retryAfter(HttpResponse<?> response) {
        return response.headers()
                .firstValue("Retry-After")
                .flatMap(value -> {
                    try {
                        return java.util.Optional.of(Duration.ofSeconds(Long.parseLong(value.trim())));
                    } catch (NumberFormatException e) {
                        return java.util.Optional.empty(); // an HTTP date: rare enough to use the default
                    }
                })
                .orElse(DEFAULT_RETRY_DELAY);
    }

    private static String describe(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause()
                : error;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private static String abbreviate(String text) {
        return text == null || text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }

    /**
     * Stops retrying and fails what is still queued; requests on the wire finish on their own, and a retry already
     * scheduled ends as given up when it is due.
     */
    @Override
    public void close() {
        List<Pending> dropped;
        synchronized (lock) {
            closed = true;
            dropped = new ArrayList<>(queue);
            queue.clear();
            lock.notifyAll();
        }
        dropped.forEach(p -> p.result.complete(new Outcome(-1, "emitter stopped", p.attempts, true)));
        retries.shutdown();
    }
}
