package io.skywatch.faults;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The Rockets emitter: {@code clients} threads take the traffic in order and send each message, one per
 * request, until a 2xx. Every non-2xx, connection error or timeout is retried after {@code retryDelay}, on the
 * next gateway port in round-robin order; a refused connection moves on to the next port at once (as long as
 * there is one not yet tried for this attempt round). Requests from index {@link #limitTo limit} on wait until the
 * limit is raised: the fault schedule uses this so that traffic still flows during every fault and its recovery,
 * however fast the emitter is.
 */
final class Emitter {

    private final Traffic traffic;
    private final int clients;
    private final Duration retryDelay;
    private final Duration requestTimeout;
    private final Object limitLock = new Object();
    private int limit;
    /** Ports of the gateways the emitter knows of; a dead one stays until the emitter is told otherwise. */
    final List<Integer> ports = new CopyOnWriteArrayList<>();

    private final AtomicInteger roundRobin = new AtomicInteger();
    private final AtomicInteger nextIndex = new AtomicInteger();
    private final HttpClient http;
    private ExecutorService pool;
    private List<Future<?>> running;
    private volatile boolean aborted;

    final LongAdder sent = new LongAdder();
    final LongAdder acknowledged = new LongAdder();
    final LongAdder retried = new LongAdder();
    final LongAdder connectionRefused = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final LongAdder otherIoErrors = new LongAdder();
    final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    /** Per track, the acknowledged message numbers. */
    final List<Set<Integer>> acked;
    /** Most attempts one message needed. */
    final AtomicLong maxAttempts = new AtomicLong();

    private final AtomicLong firstAckAfterMark = new AtomicLong(Long.MAX_VALUE);
    private volatile long markNanos = Long.MAX_VALUE;
    private volatile long startNanos;
    private volatile long endNanos;

    Emitter(Traffic traffic, int clients, Duration retryDelay, Duration requestTimeout, int limit) {
        this.traffic = traffic;
        this.clients = clients;
        this.retryDelay = retryDelay;
        this.requestTimeout = requestTimeout;
        this.limit = limit;
        this.acked = traffic.tracks.stream()
                .map(t -> (Set<Integer>) ConcurrentHashMap.<Integer>newKeySet())
                .toList();
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    void start() {
        startNanos = System.nanoTime();
        pool = Executors.newFixedThreadPool(clients, r -> {
            Thread t = new Thread(r, "emitter");
            t.setDaemon(true);
            return t;
        });
        running = new CopyOnWriteArrayList<>();
        for (int c = 0; c < clients; c++) {
            running.add(pool.submit(this::client));
        }
    }

    /** Lets the clients send requests with an index below {@code index} (never lowers the limit). */
    void limitTo(int index) {
        synchronized (limitLock) {
            limit = Math.max(limit, Math.min(index, traffic.sends.size()));
            limitLock.notifyAll();
        }
    }

    /** Index of the next request a client will take. */
    int nextIndex() {
        return nextIndex.get();
    }

    /** Requests whose message was acknowledged, i.e. the run's progress as a fraction of the traffic. */
    double progress() {
        return acknowledged.sum() / (double) traffic.sends.size();
    }

    /** From now on, remember the time of the first 2xx. */
    void mark(long nanos) {
        firstAckAfterMark.set(Long.MAX_VALUE);
        markNanos = nanos;
    }

    /** Time of the first 2xx at or after the last {@link #mark}, or {@code Long.MAX_VALUE}. */
    long firstAckAfterMark() {
        return firstAckAfterMark.get();
    }

    boolean finished() {
        return running.stream().allMatch(Future::isDone);
    }

    /** Waits for every client; rethrows the first client failure. */
    void await(Duration atMost) throws Exception {
        long deadline = System.nanoTime() + atMost.toNanos();
        for (Future<?> f : running) {
            f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        endNanos = System.nanoTime();
    }

    double seconds() {
        return ((endNanos == 0 ? System.nanoTime() : endNanos) - startNanos) / 1e9;
    }

    void abort() {
        aborted = true;
        synchronized (limitLock) {
            limitLock.notifyAll();
        }
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    private Void client() throws Exception {
        List<Traffic.Send> sends = traffic.sends;
        for (int i = nextIndex.getAndIncrement(); i < sends.size() && !aborted; i = nextIndex.getAndIncrement()) {
            synchronized (limitLock) {
                while (i >= limit && !aborted) {
                    limitLock.wait(1000);
                }
            }
            send(sends.get(i));
        }
        return null;
    }

    private void send(Traffic.Send message) throws InterruptedException {
        long attempts = 0;
        int refusedInARow = 0;
        while (!aborted) {
            List<Integer> known = ports;
            int port = known.get(Math.floorMod(roundRobin.getAndIncrement(), known.size()));
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/messages"))
                    .timeout(requestTimeout)
                    .POST(HttpRequest.BodyPublishers.ofString(message.body()))
                    .build();
            sent.increment();
            if (attempts++ > 0) {
                retried.increment();
            }
            try {
                HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                int status = response.statusCode();
                if (status / 100 == 2) {
                    long now = System.nanoTime();
                    acked.get(message.track()).add(message.number());
                    acknowledged.increment();
                    if (now >= markNanos) {
                        firstAckAfterMark.accumulateAndGet(now, Math::min);
                    }
                    maxAttempts.accumulateAndGet(attempts, Math::max);
                    return;
                }
                statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
                refusedInARow = 0;
            } catch (ConnectException e) {
                connectionRefused.increment();
                if (++refusedInARow < known.size()) {
                    continue; // try the next gateway at once
                }
                refusedInARow = 0;
            } catch (HttpTimeoutException e) {
                timeouts.increment();
            } catch (IOException e) {
                otherIoErrors.increment();
            }
            Thread.sleep(retryDelay.toMillis());
        }
    }
}
