package io.skywatch.emitters;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The Rockets emitter: {@code channels} rockets, each sending its {@link RocketScript} to {@code POST /messages}
 * one message at a time (the next after the previous was acknowledged and {@code messageDelay} has passed), in
 * its {@linkplain RocketScript#sendingOrder sending order} (shuffled, with duplicates). Channels send side by
 * side, at most {@code concurrency} requests in flight overall. Messages go without a Content-Type, as the
 * challenge's emitter sends them.
 *
 * <p>
 * {@code endless} (demo mode) replaces each rocket that is done with a new one until {@link #stop()}.
 */
public final class RocketsEmitter {

    /**
     * @param messages per rocket (an exploding rocket stops at its explosion)
     * @param runId first part of every channel id ({@code <runId>-0001}); numbers restart at 1 per channel, so a
     *     second run needs new channels
     */
    public record Settings(
            URI url,
            int channels,
            int messages,
            int concurrency,
            Duration messageDelay,
            double duplicateRate,
            int reorderWindow,
            double explosionChance,
            long seed,
            String runId,
            Duration giveUpAfter,
            boolean endless,
            String apiKey) {

        /** Without an API key: for an open gateway. */
        public Settings(
                URI url,
                int channels,
                int messages,
                int concurrency,
                Duration messageDelay,
                double duplicateRate,
                int reorderWindow,
                double explosionChance,
                long seed,
                String runId,
                Duration giveUpAfter,
                boolean endless) {
            this(
                    url,
                    channels,
                    messages,
                    concurrency,
                    messageDelay,
                    duplicateRate,
                    reorderWindow,
                    explosionChance,
                    seed,
                    runId,
                    giveUpAfter,
                    endless,
                    null);
        }
    }

    /** The run's expected end state, one rocket per channel, and its counters. */
    public record Result(List<RocketScript.Expected> expected, Progress.Snapshot totals) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Settings settings;
    private final Progress progress;
    private final Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private final List<RocketScript> scripts = Collections.synchronizedList(new ArrayList<>());
    private final ScheduledExecutorService delays;
    private final CountDownLatch done;
    private volatile boolean stopped;
    private volatile HttpSender sender;

    public RocketsEmitter(Settings settings, Progress progress) {
        this.settings = settings;
        this.progress = progress;
        this.done = new CountDownLatch(settings.channels());
        this.delays = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "emit-rockets");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs every rocket to its last message (or until {@link #stop()}); returns the expected end state. */
    public Result run() throws InterruptedException {
        try (HttpSender http = new HttpSender(
                settings.url(), settings.concurrency(), settings.giveUpAfter(), progress, settings.apiKey())) {
            sender = http;
            for (int slot = 0; slot < settings.channels(); slot++) {
                launch(slot, slot);
            }
            done.await();
        } finally {
            delays.shutdownNow();
        }
        List<RocketScript.Expected> expected = new ArrayList<>();
        synchronized (scripts) {
            scripts.forEach(script -> expected.add(script.expected()));
        }
        expected.sort(Comparator.comparing(RocketScript.Expected::channel));
        return new Result(List.copyOf(expected), progress.snapshot());
    }

    /** Sends nothing more; a message being retried is given up at its next attempt. */
    public void stop() {
        stopped = true;
        HttpSender http = sender;
        if (http != null) {
            http.close();
        }
    }

    /** Channel ids of this run: {@code <runId>-<n>}, n from 1. */
    public static String channel(String runId, int index) {
        return "%s-%04d".formatted(runId, index + 1);
    }

    private void launch(int slot, int index) {
        // Each rocket draws from its own generator: its messages do not depend on timing or concurrency.
        Random random = new Random(mix(settings.seed() * 1_000_003L + index));
        String channel = channel(settings.runId(), index);
        RocketScript script = RocketScript.generate(
                channel, settings.messages(), settings.explosionChance(), start.plusSeconds(10L * index), random);
        scripts.add(script);
        List<Integer> order = script.sendingOrder(settings.duplicateRate(), settings.reorderWindow(), random);
        sendFrom(slot, index, script, order, 0);
    }

    /**
     * SplitMix64's finaliser: {@code java.util.Random}s seeded with neighbouring numbers start with nearly the
     * same draws (most rockets would explode together), so the seeds are scrambled first.
     */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private void sendFrom(int slot, int index, RocketScript script, List<Integer> order, int position) {
        if (stopped || position == order.size()) {
            if (!stopped && settings.endless()) {
                launch(slot, index + settings.channels());
            } else {
                done.countDown();
            }
            return;
        }
        String body = script.messages().get(order.get(position) - 1);
        CompletableFuture<HttpSender.Outcome> sent = sender.send(new HttpSender.Request("/messages", null, body, 1, 0));
        sent.whenComplete((outcome, error) -> {
            Runnable next = () -> sendFrom(slot, index, script, order, position + 1);
            long delay = settings.messageDelay().toMillis();
            if (delay > 0 && !stopped) {
                try {
                    delays.schedule(next, delay, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    done.countDown();
                }
            } else {
                // Off the HTTP client's thread: a long run of already-completed futures must not nest calls.
                delays.execute(next);
            }
        });
    }

    /** The expected state as printed: a JSON array, one rocket per line, in {@code GET /rockets}' field names. */
    public static String expectedStateJson(List<RocketScript.Expected> expected) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < expected.size(); i++) {
            RocketScript.Expected rocket = expected.get(i);
            ObjectNode node = JSON.createObjectNode()
                    .put("channel", rocket.channel())
                    .put("type", rocket.type())
                    .put("mission", rocket.mission())
                    .put("speed", rocket.speed())
                    .put("status", rocket.status())
                    .put("explosionReason", rocket.explosionReason())
                    .put("lastMessageNumber", rocket.lastMessageNumber())
                    .put("launchTime", rocket.launchTime().toString())
                    .put("lastMessageTime", rocket.lastMessageTime().toString());
            out.append(i == 0 ? "\n  " : ",\n  ").append(node);
        }
        return out.append(expected.isEmpty() ? "]" : "\n]").toString();
    }
}
