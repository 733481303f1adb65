package io.skywatch.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import io.skywatch.testing.RocketTrack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.bson.Document;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue P2: the packaged gateway, an embedded Kafka broker and an embedded MongoDB (H2) run as separate OS
 * processes while an emitter that retries every non-2xx drives duplicated, shuffled Rockets traffic across many
 * channels. During the run the gateway is killed with SIGKILL three times and restarted, the broker and Mongo are
 * each stopped for about 10 s, and with two gateways running one of them is killed. Afterwards every channel must
 * be in exactly the state an in-order replay gives, the event log must hold exactly the distinct messages, and no
 * acknowledged message may be missing.
 *
 * <p>
 * Size and seed: {@code -Dfaults.channels} (50), {@code -Dfaults.messagesPerChannel} (2000), {@code -Dfaults.clients}
 * (8), {@code -Dfaults.seed}. Processes' output, the data directories and {@code figures.txt} are in
 * {@code target/faults/}.
 */
class FaultInjectionIT {

    private static final Logger LOG = Logger.getLogger(FaultInjectionIT.class);

    private static final int CHANNELS = Integer.getInteger("faults.channels", 50);
    private static final int PER_CHANNEL = Integer.getInteger("faults.messagesPerChannel", 2000);
    private static final int CLIENTS = Integer.getInteger("faults.clients", 8);
    private static final long SEED = Long.getLong("faults.seed", 20_240_601L);
    private static final double DUPLICATE_RATE = 0.10;
    private static final int SHUFFLE_WINDOW = 30;
    private static final Duration RETRY_DELAY = Duration.ofMillis(200);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration OUTAGE = Duration.ofSeconds(10);
    /** Requests always available after a component is started again, so that a 2xx can show the recovery. */
    private static final double RECOVERY_MARGIN = 0.01;

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(3);

    private static final Pattern METRIC = Pattern.compile("^(skywatch_[a-z_]+_total)\\{([^}]*)\\}\\s+(\\S+)$");

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final List<FaultFigures> faults = new ArrayList<>();
    /** Last metrics scraped from each gateway process (by pid): a kill -9 loses what was not scraped yet. */
    private final Map<Long, Map<String, Double>> lastScrape = new ConcurrentHashMap<>();

    private final Map<String, Gateway> gateways = new LinkedHashMap<>();

    private Cluster cluster;
    private Emitter emitter;
    private MongoClient mongo;
    private ScheduledExecutorService scraper;
    private Thread cleanupHook;
    private long runStart;

    /** A gateway identity: its instance id and port stay the same across restarts. */
    private static final class Gateway {
        final String id;
        final int port;
        volatile ChildProcess process;

        Gateway(String id, int port) {
            this.id = id;
            this.port = port;
        }
    }

    /** What one fault did and how long the system took to get back. */
    private record FaultFigures(
            String name,
            double atSeconds,
            long ackedBefore,
            String detail,
            double readySeconds,
            double firstAckSeconds,
            double firstProgressSeconds,
            double allChannelsSeconds) {

        double recoverySeconds() {
            return Math.max(firstAckSeconds, firstProgressSeconds);
        }
    }

    @Test
    void everyAcknowledgedMessageIsAppliedExactlyOnceThroughKillsAndOutages() throws Exception {
        runStart = System.nanoTime();
        Path dir = Path.of(System.getProperty("skywatch.faults.dir", "target/faults"))
                .toAbsolutePath();
        Path jar = Path.of(System.getProperty("skywatch.gateway.jar", "target/quarkus-app/quarkus-run.jar"))
                .toAbsolutePath();
        assertThat(jar)
                .as("packaged gateway (run at the integration-test phase)")
                .isRegularFile();
        endStaleChildren(dir);
        Cluster.deleteRecursively(dir);
        String runId = dir + "#" + Long.toHexString(System.nanoTime());
        cluster = new Cluster(dir, jar, runId);
        cleanupHook = new Thread(cluster::close, "faults-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupHook);

        Random random = new Random(SEED);
        traffic = Traffic.generate(CHANNELS, PER_CHANNEL, DUPLICATE_RATE, SHUFFLE_WINDOW, random);
        LOG.infof(
                "Fault injection: %d channels x %d messages = %d distinct, %d requests (%d duplicates), seed %d",
                CHANNELS, PER_CHANNEL, traffic.distinct, traffic.sends.size(), traffic.duplicates, SEED);

        try {
            startInfrastructure();
            Gateway gw1 = new Gateway("gw-1", io.skywatch.embedded.Ports.freePort());
            Gateway gw2 = new Gateway("gw-2", io.skywatch.embedded.Ports.freePort());
            gateways.put(gw1.id, gw1);
            gateways.put(gw2.id, gw2);
            double started = startGateway(gw1);
            LOG.infof("Infrastructure and gateway ready after %.1f s (gateway %.1f s)", elapsed(), started);
            mongo = MongoClients.create(MongoClientSettings.builder()
                    .applyConnectionString(new ConnectionString(cluster.mongoUri()))
                    .applyToClusterSettings(b -> b.serverSelectionTimeout(2, TimeUnit.SECONDS))
                    .applyToSocketSettings(
                            b -> b.connectTimeout(2, TimeUnit.SECONDS).readTimeout(120, TimeUnit.SECONDS))
                    .build());
            scraper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "metrics-scraper");
                t.setDaemon(true);
                return t;
            });
            scraper.scheduleWithFixedDelay(this::scrapeAll, 1, 1, TimeUnit.SECONDS);

            // Fault i is injected when this share of the requests has been acknowledged; while it and its
            // recovery last, the emitter may send at most up to the trigger of fault i + 1 (the last entry only
            // holds the tail of the traffic back until the last fault is over).
            double[] at = {
                between(random, 0.04, 0.10),
                0.18,
                between(random, 0.27, 0.35),
                0.44,
                between(random, 0.53, 0.61),
                0.68,
                0.90
            };
            emitter = new Emitter(traffic, CLIENTS, RETRY_DELAY, REQUEST_TIMEOUT, index(at[1]));
            emitter.ports.add(gw1.port);
            emitter.start();

            killAndRestart(gw1, 1, at[0], random);
            emitter.limitTo(index(at[2]));
            stopAndStart("kafka", at[1], () -> cluster.startKafka());
            emitter.limitTo(index(at[3]));
            killAndRestart(gw1, 2, at[2], random);
            emitter.limitTo(index(at[4]));
            stopAndStart("mongo", at[3], () -> cluster.startMongo());
            emitter.limitTo(index(at[5]));
            killAndRestart(gw1, 3, at[4], random);
            emitter.limitTo(index(at[6]));
            twoGatewaysKillOne(gw1, gw2, at[5], random);
            emitter.limitTo(traffic.sends.size());
            emitter.await(Duration.ofMinutes(6));
            LOG.infof(
                    "Emitter finished: %d requests acknowledged in %.1f s",
                    emitter.acknowledged.sum(), emitter.seconds());

            verify(traffic);
        } catch (Throwable failure) {
            LOG.errorf(
                    "Fault injection failed after %.1f s: %s%nFaults so far: %s%nEmitter: %s%nProcess output tails:%s",
                    elapsed(), failure, faults, emitter == null ? "not started" : emitterCounters(), cluster.tails(40));
            throw failure;
        }
    }

    @AfterEach
    void stopEverything() {
        if (emitter != null) {
            emitter.abort();
        }
        if (scraper != null) {
            scraper.shutdownNow();
        }
        if (mongo != null) {
            mongo.close();
        }
        if (cluster != null) {
            cluster.close();
            for (ChildProcess p : cluster.started) {
                assertThat(p.isAlive()).as("%s still alive after clean-up", p).isFalse();
            }
        }
        if (cleanupHook != null) {
            Runtime.getRuntime().removeShutdownHook(cleanupHook);
        }
    }

    // ---------------------------------------------------------------- faults

    private int index(double fraction) {
        return (int) Math.ceil(fraction * traffic.sends.size());
    }

    /** Called at the moment a component is started again: some traffic must be there to show the recovery. */
    private void keepTrafficAvailable() {
        emitter.limitTo(emitter.nextIndex() + Math.max(500, index(RECOVERY_MARGIN)));
    }

    private void killAndRestart(Gateway gateway, int n, double at, Random random) throws Exception {
        waitForProgress(at);
        Thread.sleep(random.nextInt(1500)); // a random moment, not the poll that saw the progress
        long acked = emitter.acknowledged.sum();
        double atSeconds = elapsed();
        int exit = gateway.process.kill9();
        scrapeGoneWith(gateway.process);
        long t0 = System.nanoTime();
        emitter.mark(t0);
        keepTrafficAvailable();
        Map<String, Long> baseline = snapshot();
        gateway.process = cluster.startGateway(gateway.id, gateway.port);
        ChildProcess restarted = gateway.process;
        record(measureRecovery(
                "gateway kill -9 #" + n,
                atSeconds,
                acked,
                "%s killed (exit %d) at %.0f%% acknowledged, restarted at once"
                        .formatted(
                                gateway.id,
                                exit,
                                100.0 * acked / traffic().sends.size()),
                t0,
                baseline,
                () -> cluster.gatewayReady(restarted, gateway.port)));
    }

    private void stopAndStart(String what, double at, java.util.function.Supplier<ChildProcess> start)
            throws Exception {
        waitForProgress(at);
        long acked = emitter.acknowledged.sum();
        double atSeconds = elapsed();
        ChildProcess running = what.equals("kafka") ? cluster.kafka : cluster.mongo;
        long s0 = System.nanoTime();
        int exit = running.stop(40);
        double stopSeconds = (System.nanoTime() - s0) / 1e9;
        Thread.sleep(OUTAGE.toMillis()); // the outage itself, not a wait for a result
        long t0 = System.nanoTime();
        emitter.mark(t0);
        keepTrafficAvailable();
        Map<String, Long> baseline = what.equals("kafka") ? snapshot() : null;
        ChildProcess restarted = start.get();
        record(measureRecovery(
                what + " stopped " + OUTAGE.toSeconds() + " s",
                atSeconds,
                acked,
                "SIGTERM exit %d after %.1f s (-1 = had to SIGKILL), down %.1f s"
                        .formatted(exit, stopSeconds, (t0 - s0) / 1e9),
                t0,
                baseline,
                () -> Cluster.infraReady(restarted)));
    }

    private void twoGatewaysKillOne(Gateway gw1, Gateway gw2, double at, Random random) throws Exception {
        waitForProgress(at);
        long acked0 = emitter.acknowledged.sum();
        // A replica started under full load (the other gateway, broker, Mongo server and emitter all busy on the
        // same cores) has taken 12-25 s here; CI once saw more than 90 s. The fault is the kill that follows, so
        // the start gets more time, and a slow one is reported with its readiness.
        double startSeconds = startGateway(gw2, START_TIMEOUT.multipliedBy(2));
        emitter.ports.add(gw2.port);
        // Let the group rebalance so that both replicas sequence before one of them dies.
        long pid2 = gw2.process.pid();
        boolean bothWorking = awaitQuietly(
                Duration.ofSeconds(60),
                () -> lastScrape.getOrDefault(pid2, Map.of()).getOrDefault("applied", 0.0) > 0);
        Thread.sleep(random.nextInt(1500)); // a random moment to kill one of the two, not a wait for a result
        Gateway victim = random.nextBoolean() ? gw1 : gw2;
        Gateway survivor = victim == gw1 ? gw2 : gw1;
        long acked = emitter.acknowledged.sum();
        double atSeconds = elapsed();
        long t0 = System.nanoTime();
        emitter.mark(t0);
        keepTrafficAvailable();
        int exit = victim.process.kill9();
        scrapeGoneWith(victim.process);
        Map<String, Long> baseline = snapshot();
        record(measureRecovery(
                "two gateways, kill -9 one",
                atSeconds,
                acked,
                ("%s started in %.1f s at %d acknowledged (sequencing: %s); %s killed (exit %d), %s keeps serving; "
                                + "recovery counted from the kill; the emitter keeps the dead port and fails over")
                        .formatted(
                                gw2.id,
                                startSeconds,
                                acked0,
                                bothWorking ? "yes" : "NOT SEEN within 60 s",
                                victim.id,
                                exit,
                                survivor.id),
                t0,
                baseline,
                null));
    }

    /**
     * Polls until the component is ready, the emitter had a 2xx after {@code t0}, the summed lastMessageNumber
     * grew over the baseline and every unfinished channel advanced (bounded by {@link #RECOVERY_TIMEOUT}).
     */
    private FaultFigures measureRecovery(
            String name,
            double atSeconds,
            long acked,
            String detail,
            long t0,
            Map<String, Long> baseline,
            BooleanSupplier componentReady)
            throws InterruptedException {
        long deadline = t0 + RECOVERY_TIMEOUT.toNanos();
        long readyAt = 0;
        long progressAt = 0;
        long allAt = 0;
        Map<String, Long> base = baseline;
        while (System.nanoTime() < deadline) {
            long now = System.nanoTime();
            if (readyAt == 0 && (componentReady == null || componentReady.getAsBoolean())) {
                readyAt = now;
            }
            Map<String, Long> snap = snapshot();
            if (snap != null) {
                if (base == null) {
                    base = snap; // Mongo was down at t0: its first answer is the baseline
                } else {
                    if (progressAt == 0 && sum(snap) > sum(base)) {
                        progressAt = now;
                    }
                    if (allAt == 0 && allAdvanced(base, snap)) {
                        allAt = now;
                    }
                }
            }
            if (readyAt != 0 && progressAt != 0 && allAt != 0 && emitter.firstAckAfterMark() != Long.MAX_VALUE) {
                break;
            }
            Thread.sleep(200); // polling cadence of the measurement
        }
        long firstAck = emitter.firstAckAfterMark();
        FaultFigures f = new FaultFigures(
                name,
                atSeconds,
                acked,
                detail,
                since(t0, readyAt),
                since(t0, firstAck == Long.MAX_VALUE ? 0 : firstAck),
                since(t0, progressAt),
                since(t0, allAt));
        if (Double.isNaN(f.firstAckSeconds()) || Double.isNaN(f.firstProgressSeconds())) {
            faults.add(f);
            String evidence = evidence(name);
            LOG.errorf("No recovery from '%s' within %s:%n%s", name, RECOVERY_TIMEOUT, evidence);
            assertThat(f.firstAckSeconds())
                    .as("%s: a 2xx within %s%n%s", name, RECOVERY_TIMEOUT, evidence)
                    .isNotNaN();
            assertThat(f.firstProgressSeconds())
                    .as("%s: sequencer progress within %s%n%s", name, RECOVERY_TIMEOUT, evidence)
                    .isNotNaN();
        }
        return f;
    }

    /** What the emitter saw, what each live gateway answers now, and its threads (saved next to the logs). */
    private String evidence(String fault) {
        StringBuilder s = new StringBuilder();
        s.append("emitter: ").append(emitterCounters()).append('\n');
        String probe = traffic.sends.get(0).body();
        for (Gateway g : gateways.values()) {
            ChildProcess p = g.process;
            if (p == null || !p.isAlive()) {
                continue;
            }
            s.append(g.id)
                    .append(": GET /q/health/ready -> ")
                    .append(cluster.get(cluster.managementPort(g.port), "/q/health/ready"));
            long t0 = System.nanoTime();
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port + "/messages"))
                                .timeout(Duration.ofSeconds(25))
                                .POST(HttpRequest.BodyPublishers.ofString(probe))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                s.append("; POST /messages (a duplicate) -> ")
                        .append(r.statusCode())
                        .append(' ')
                        .append(r.body());
            } catch (Exception e) {
                s.append("; POST /messages (a duplicate) -> ").append(e);
            }
            s.append(" after %.1f s".formatted((System.nanoTime() - t0) / 1e9));
            try {
                Path dump = cluster.dir.resolve(fault.replaceAll("[^A-Za-z0-9]+", "-") + "-" + g.id + "-threads.txt");
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "jcmd")
                                        .toString(),
                                Long.toString(p.pid()),
                                "Thread.print")
                        .redirectErrorStream(true)
                        .redirectOutput(dump.toFile())
                        .start()
                        .waitFor(30, TimeUnit.SECONDS);
                s.append("; threads in ").append(dump);
            } catch (Exception e) {
                s.append("; no thread dump: ").append(e);
            }
            s.append('\n');
        }
        return s.toString();
    }

    private String emitterCounters() {
        return "sent %d, acknowledged %d, retried %d, refused %d, timeouts %d, other I/O %d, statuses %s"
                .formatted(
                        emitter.sent.sum(),
                        emitter.acknowledged.sum(),
                        emitter.retried.sum(),
                        emitter.connectionRefused.sum(),
                        emitter.timeouts.sum(),
                        emitter.otherIoErrors.sum(),
                        new TreeMap<>(emitter.statuses));
    }

    private void record(FaultFigures f) {
        faults.add(f);
        LOG.infof(
                "Fault '%s' at %.1f s: %s; ready %.1f s, first 2xx %.1f s, sequencer progress %.1f s, "
                        + "all channels %.1f s",
                f.name(),
                f.atSeconds(),
                f.detail(),
                f.readySeconds(),
                f.firstAckSeconds(),
                f.firstProgressSeconds(),
                f.allChannelsSeconds());
    }

    private void waitForProgress(double fraction) {
        await().atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    if (emitter.finished()) {
                        emitter.await(Duration.ofSeconds(1)); // surfaces a client failure
                        throw new IllegalStateException("emitter finished before the faults were injected");
                    }
                    return emitter.progress() >= fraction;
                });
    }

    // ---------------------------------------------------------------- start-up

    private void startInfrastructure() {
        ChildProcess kafka = cluster.startKafka();
        ChildProcess mongoProcess = cluster.startMongo();
        await().atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> Cluster.infraReady(kafka) && Cluster.infraReady(mongoProcess));
    }

    /** Starts the gateway and returns the seconds until it was ready. */
    private double startGateway(Gateway gateway) {
        return startGateway(gateway, START_TIMEOUT);
    }

    /**
     * Starts the gateway and returns the seconds until it was ready. Every 30 s of waiting it logs why the gateway
     * is not ready yet, and a timeout says so in its first line: a CI summary shows little more.
     */
    private double startGateway(Gateway gateway, Duration timeout) {
        long t0 = System.nanoTime();
        gateway.process = cluster.startGateway(gateway.id, gateway.port);
        ChildProcess p = gateway.process;
        long[] nextReport = {t0 + TimeUnit.SECONDS.toNanos(30)};
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (cluster.gatewayReady(p, gateway.port)) {
                    return true;
                }
                if (System.nanoTime() - nextReport[0] > 0) {
                    nextReport[0] += TimeUnit.SECONDS.toNanos(30);
                    LOG.warnf(
                            "%s not ready %.0f s after its start: %s",
                            gateway.id, (System.nanoTime() - t0) / 1e9, cluster.readinessReport(p, gateway.port));
                }
                return false;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new IllegalStateException(
                    "%s not ready %d s after its start: %s%n%s"
                            .formatted(
                                    gateway.id,
                                    timeout.toSeconds(),
                                    cluster.readinessReport(p, gateway.port),
                                    p.tail(30)),
                    e);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    // ---------------------------------------------------------------- verification

    private void verify(Traffic traffic) throws Exception {
        int port = gateways.values().stream()
                .filter(g -> g.process != null && g.process.isAlive())
                .findFirst()
                .orElseThrow()
                .port;
        long settleStart = System.nanoTime();
        Map<String, JsonNode> lastSeen = new ConcurrentHashMap<>();
        List<String> stateMismatches = new ArrayList<>();
        java.util.concurrent.atomic.LongAdder slowQueries = new java.util.concurrent.atomic.LongAdder();
        try {
            await().atMost(SETTLE_TIMEOUT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                List<String> mismatches = new ArrayList<>();
                for (RocketTrack track : traffic.tracks) {
                    JsonNode rocket;
                    try {
                        rocket = getJson(port, "/rockets/" + track.channel);
                    } catch (IOException e) {
                        mismatches.add(track.channel + ": GET failed: " + e);
                        slowQueries.increment();
                        continue;
                    }
                    if (rocket == null) {
                        mismatches.add(track.channel + ": not found");
                        continue;
                    }
                    lastSeen.put(track.channel, rocket);
                    String diff = track.differencesFrom(rocket);
                    if (!diff.isEmpty()) {
                        mismatches.add(track.channel + ": " + diff);
                    }
                }
                assertThat(mismatches).as("channels not in their oracle state").isEmpty();
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            for (RocketTrack track : traffic.tracks) {
                JsonNode rocket = lastSeen.get(track.channel);
                String diff = rocket == null ? "not found" : track.differencesFrom(rocket);
                if (!diff.isEmpty()) {
                    stateMismatches.add(track.channel + ": " + diff + "  actual=" + rocket);
                }
            }
        }
        double settleSeconds = (System.nanoTime() - settleStart) / 1e9;
        if (slowQueries.sum() > 0) {
            LOG.warnf("%d GET /rockets/{channel} failed or timed out (20 s) while settling", slowQueries.sum());
        }
        scrapeAll();

        // The event log, read straight from Mongo in one pass (a per-channel filter would scan the whole H2-backed
        // collection once per channel on the embedded server).
        long logStart = System.nanoTime();
        MongoCollection<Document> events = mongo.getDatabase("skywatch").getCollection("rocket_events");
        Map<String, Integer> trackIndex = new HashMap<>();
        for (int t = 0; t < traffic.tracks.size(); t++) {
            trackIndex.put(traffic.tracks.get(t).channel, t);
        }
        int[][] copiesByTrack = new int[traffic.tracks.size()][];
        List<List<Long>> foreignByTrack = new ArrayList<>();
        for (RocketTrack track : traffic.tracks) {
            copiesByTrack[foreignByTrack.size()] = new int[track.length() + 1];
            foreignByTrack.add(new ArrayList<>());
        }
        List<String> logProblems = new ArrayList<>();
        long stored = 0;
        long ackedMissing = 0;
        long strangers = 0;
        for (Document d : events.find()
                .projection(
                        new Document("channel", 1).append("messageNumber", 1).append("_id", 0))
                .batchSize(5000)) {
            Integer t = trackIndex.get(d.getString("channel"));
            if (t == null) {
                strangers++;
                continue;
            }
            long n = ((Number) d.get("messageNumber")).longValue();
            stored++;
            if (n < 1 || n >= copiesByTrack[t].length) {
                foreignByTrack.get(t).add(n);
            } else {
                copiesByTrack[t][(int) n]++;
            }
        }
        if (strangers > 0) {
            logProblems.add(strangers + " event log documents of channels this run never sent");
        }
        for (int t = 0; t < traffic.tracks.size(); t++) {
            RocketTrack track = traffic.tracks.get(t);
            int[] copies = copiesByTrack[t];
            List<Long> foreign = foreignByTrack.get(t);
            List<Integer> missing = new ArrayList<>();
            List<Integer> doubled = new ArrayList<>();
            for (int n = 1; n <= track.length(); n++) {
                if (copies[n] == 0) {
                    missing.add(n);
                } else if (copies[n] > 1) {
                    doubled.add(n);
                }
            }
            Set<Integer> acked = emitter.acked.get(t);
            List<Integer> ackedButMissing =
                    missing.stream().filter(acked::contains).toList();
            ackedMissing += ackedButMissing.size();
            if (!missing.isEmpty() || !doubled.isEmpty() || !foreign.isEmpty()) {
                logProblems.add("%s: missing %s (of which acknowledged %s), stored more than once %s, unknown %s"
                        .formatted(track.channel, head(missing), head(ackedButMissing), head(doubled), head(foreign)));
            }
        }
        double logSeconds = (System.nanoTime() - logStart) / 1e9;
        long acknowledgedDistinct = emitter.acked.stream().mapToLong(Set::size).sum();
        long topicRecords = topicRecords();

        String figures = figures(
                traffic,
                settleSeconds,
                lastSeen,
                stored,
                acknowledgedDistinct,
                topicRecords,
                logSeconds,
                stateMismatches,
                logProblems);
        System.out.println(figures);
        Files.writeString(cluster.dir.resolve("figures.txt"), figures);

        assertThat(faults).extracting(FaultFigures::name).hasSize(6);
        assertThat(acknowledgedDistinct)
                .as("every distinct message acknowledged")
                .isEqualTo(traffic.distinct);
        assertThat(stateMismatches)
                .as("channel state vs oracle after %s", SETTLE_TIMEOUT)
                .isEmpty();
        assertThat(logProblems).as("event log vs distinct messages").isEmpty();
        assertThat(ackedMissing)
                .as("acknowledged messages missing from the event log")
                .isZero();
        assertThat(stored).as("event log documents").isEqualTo(traffic.distinct);
    }

    private static String head(List<?> list) {
        return list.size() <= 20 ? list.toString() : list.subList(0, 20) + "… (" + list.size() + ")";
    }

    // ---------------------------------------------------------------- figures

    private String figures(
            Traffic traffic,
            double settleSeconds,
            Map<String, JsonNode> lastSeen,
            long stored,
            long acknowledgedDistinct,
            long topicRecords,
            double logSeconds,
            List<String> stateMismatches,
            List<String> logProblems) {
        Map<String, Double> totals = new TreeMap<>();
        lastScrape.values().forEach(m -> m.forEach((k, v) -> totals.merge(k, v, Double::sum)));
        boolean skippedReported = lastSeen.values().stream().anyMatch(r -> r.has("skippedCount"));
        long gaps = lastSeen.values().stream()
                .mapToLong(r -> r.path("skippedCount").asLong(0))
                .sum();
        StringBuilder s = new StringBuilder();
        s.append("==== Fault injection figures (seed ").append(SEED).append(") ====\n");
        s.append(
                "size                 %d channels x %d = %d distinct messages; %d requests planned (%d duplicates, %.1f%%)%n"
                        .formatted(
                                CHANNELS,
                                PER_CHANNEL,
                                traffic.distinct,
                                traffic.sends.size(),
                                traffic.duplicates,
                                100.0 * traffic.duplicates / traffic.distinct));
        s.append("emitter              %d clients, retry every %d ms on non-2xx / connection error / %d s timeout%n"
                .formatted(CLIENTS, RETRY_DELAY.toMillis(), REQUEST_TIMEOUT.toSeconds()));
        s.append("messages sent        %d HTTP requests (attempts)%n".formatted(emitter.sent.sum()));
        s.append("acknowledged         %d (2xx), %d distinct messages; most attempts for one message %d%n"
                .formatted(emitter.acknowledged.sum(), acknowledgedDistinct, emitter.maxAttempts.get()));
        s.append(
                "retried              %d (attempts after a message's first): refused %d, timeouts %d, other I/O %d, statuses %s%n"
                        .formatted(
                                emitter.retried.sum(),
                                emitter.connectionRefused.sum(),
                                emitter.timeouts.sum(),
                                emitter.otherIoErrors.sum(),
                                new TreeMap<>(emitter.statuses)));
        s.append(
                "duplicates dropped   %d exact = records in the topic (%d) - distinct; of these %d were acknowledged duplicate requests (2xx - distinct)%n"
                        .formatted(
                                topicRecords - traffic.distinct,
                                topicRecords,
                                emitter.acknowledged.sum() - traffic.distinct));
        s.append(
                "                     sequencer counter %s (sum of last scrapes per process; kill -9 loses the unscraped part, replays count again)%n"
                        .formatted(fmt(totals.get("duplicates"))));
        s.append("                     applied counter %s, ingest events %s%n"
                .formatted(fmt(totals.get("applied")), ingest(totals)));
        s.append("gaps declared        %d (%s); counters: gaps declared %s, late arrivals %s, rebuilds %s%n"
                .formatted(
                        gaps,
                        skippedReported
                                ? "sum of the rockets' skippedCount at the end"
                                : "skippedCount not in the API: counted as 0",
                        fmt(totals.get("gaps")),
                        fmt(totals.get("late")),
                        fmt(totals.get("rebuilds"))));
        s.append("event log            %d documents (expected %d); read in %.1f s%n"
                .formatted(stored, traffic.distinct, logSeconds));
        s.append(
                "durations            emitter %.1f s (%.0f acknowledged/s), settle after emitter %.1f s, whole test %.1f s%n"
                        .formatted(
                                emitter.seconds(),
                                emitter.acknowledged.sum() / emitter.seconds(),
                                settleSeconds,
                                elapsed()));
        s.append(
                "faults (seconds; recovery = max(first 2xx, first sequencer progress) after the component is started again):\n");
        for (FaultFigures f : faults) {
            s.append(
                    "  %-28s at %6.1f s  recovery %5.1f  (ready %5.1f, first 2xx %5.1f, progress %5.1f, all channels advanced %5.1f)%n"
                            .formatted(
                                    f.name(),
                                    f.atSeconds(),
                                    f.recoverySeconds(),
                                    f.readySeconds(),
                                    f.firstAckSeconds(),
                                    f.firstProgressSeconds(),
                                    f.allChannelsSeconds()));
            s.append("  %-28s %s%n".formatted("", f.detail()));
        }
        s.append("max recovery         %.1f s%n"
                .formatted(faults.stream()
                        .mapToDouble(FaultFigures::recoverySeconds)
                        .max()
                        .orElse(Double.NaN)));
        s.append("state mismatches     %d%s%n"
                .formatted(
                        stateMismatches.size(),
                        stateMismatches.isEmpty() ? "" : "\n    " + String.join("\n    ", stateMismatches)));
        s.append("event log problems   %d%s%n"
                .formatted(
                        logProblems.size(),
                        logProblems.isEmpty() ? "" : "\n    " + String.join("\n    ", logProblems)));
        return s.toString();
    }

    private static String ingest(Map<String, Double> totals) {
        StringBuilder s = new StringBuilder("{");
        totals.forEach((k, v) -> {
            if (k.startsWith("ingest.")) {
                s.append(s.length() > 1 ? ", " : "")
                        .append(k.substring(7))
                        .append('=')
                        .append(fmt(v));
            }
        });
        return s.append('}').toString();
    }

    private static String fmt(Double v) {
        return v == null ? "n/a" : Long.toString(Math.round(v));
    }

    // ---------------------------------------------------------------- observation helpers

    /** lastMessageNumber per channel, read from Mongo's projections; null when Mongo does not answer. */
    private Map<String, Long> snapshot() {
        try {
            Map<String, Long> out = new HashMap<>();
            for (Document d : mongo.getDatabase("skywatch")
                    .getCollection("rockets")
                    .find()
                    .projection(new Document("lastMessageNumber", 1))) {
                Object n = d.get("lastMessageNumber");
                out.put(String.valueOf(d.get("_id")), n == null ? 0 : ((Number) n).longValue());
            }
            return out;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private boolean allAdvanced(Map<String, Long> base, Map<String, Long> now) {
        for (RocketTrack track : traffic().tracks) {
            long before = base.getOrDefault(track.channel, 0L);
            long after = now.getOrDefault(track.channel, 0L);
            if (after <= before && after < track.length()) {
                return false;
            }
        }
        return true;
    }

    private Traffic traffic;

    private Traffic traffic() {
        return traffic;
    }

    private static long sum(Map<String, Long> snap) {
        return snap.values().stream().mapToLong(Long::longValue).sum();
    }

    private void scrapeAll() {
        for (Gateway g : gateways.values()) {
            ChildProcess p = g.process;
            if (p != null && p.isAlive()) {
                Map<String, Double> m = scrape(g.port);
                if (m != null && p.isAlive()) {
                    lastScrape.put(p.pid(), m);
                }
            }
        }
    }

    private void scrapeGoneWith(ChildProcess killed) {
        LOG.infof("%s killed; its last scraped counters: %s", killed, lastScrape.get(killed.pid()));
    }

    private Map<String, Double> scrape(int port) {
        try {
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + cluster.managementPort(port) + "/q/metrics"))
                    .timeout(Duration.ofSeconds(5))
                    .GET()
                    .build();
            HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() != 200) {
                return null;
            }
            Map<String, Double> out = new TreeMap<>();
            response.body().forEach(line -> {
                Matcher m = METRIC.matcher(line);
                if (!m.matches() || !m.group(2).contains("stream=\"rockets\"")) {
                    return;
                }
                double v = Double.parseDouble(m.group(3));
                switch (m.group(1)) {
                    case "skywatch_sequencer_duplicates_total" -> out.merge("duplicates", v, Double::sum);
                    case "skywatch_sequencer_applied_total" -> out.merge("applied", v, Double::sum);
                    case "skywatch_sequencer_gaps_declared_total" -> out.merge("gaps", v, Double::sum);
                    case "skywatch_sequencer_late_arrivals_total" -> out.merge("late", v, Double::sum);
                    case "skywatch_sequencer_rebuilds_total" -> out.merge("rebuilds", v, Double::sum);
                    case "skywatch_ingest_events_total" -> {
                        Matcher outcome =
                                Pattern.compile("outcome=\"([^\"]*)\"").matcher(m.group(2));
                        out.merge("ingest." + (outcome.find() ? outcome.group(1) : "?"), v, Double::sum);
                    }
                    default -> {}
                }
            });
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private JsonNode getJson(int port, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .GET()
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? json.readTree(response.body()) : null;
    }

    /** Records in the rockets topic (sum of end offsets: no transactions, no compaction, so one offset each). */
    private long topicRecords() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000");
        try (Admin admin = Admin.create(props)) {
            int partitions = admin.describeTopics(List.of("rockets"))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .get("rockets")
                    .partitions()
                    .size();
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition("rockets", p), OffsetSpec.latest());
            }
            return admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).values().stream()
                    .mapToLong(info -> info.offset())
                    .sum();
        } catch (Exception e) {
            LOG.warnf("Cannot read the rockets topic's end offsets: %s", e.toString());
            return -1;
        }
    }

    private static boolean awaitQuietly(Duration atMost, BooleanSupplier condition) {
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(250)).until(condition::getAsBoolean);
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
    }

    private double elapsed() {
        return (System.nanoTime() - runStart) / 1e9;
    }

    private static double since(long t0, long at) {
        return at == 0 ? Double.NaN : (at - t0) / 1e9;
    }

    private static double between(Random random, double from, double to) {
        return from + random.nextDouble() * (to - from);
    }

    // ---------------------------------------------------------------- housekeeping

    /** Ends children left by an earlier run of this suite in the same directory (e.g. after the JVM was killed). */
    private static void endStaleChildren(Path dir) {
        String marker = ChildProcess.MARKER + dir + "#";
        ProcessHandle.allProcesses()
                .filter(p -> p.info()
                        .arguments()
                        .map(args -> Stream.of(args).anyMatch(a -> a.startsWith(marker)))
                        .orElse(false))
                .forEach(p -> {
                    LOG.warnf("Ending pid %d left over from an earlier fault-injection run", p.pid());
                    p.destroyForcibly();
                });
    }
}
