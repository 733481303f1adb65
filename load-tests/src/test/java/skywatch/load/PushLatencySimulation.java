package skywatch.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.during;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.regex;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.substring;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;
import static io.gatling.javaapi.http.HttpDsl.ws;

import io.gatling.http.action.ws.WsInboundMessage;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Alert push latency while load runs. `probes` dashboard clients each subscribe to /ws/live for critical alerts,
 * then every probeInterval post a breaching pm2_5 reading for a new probe station (new, because a cleared rule
 * stays quiet for its cool-down) and time how long after the 202 the RAISED frame for that station arrives (the
 * frame's arrival time as Gatling's WebSocket stack saw it, so polling granularity does not count); a clearing
 * reading follows, untimed, so alerts do not pile up. Meanwhile rockets messages arrive at `rate` per second and
 * sensor batches of batchSize at `batchRate` per second (open model).
 *
 * <p>Gatling's own statistics cover the HTTP requests; the push latencies are printed at the end as one line,
 * {@code PUSH LATENCY count=… lost=… p50=… p95=… p99=… max=…} (milliseconds), which load-tests/run checks against
 * its --push-p99 bound. A frame not seen within 5 s counts as lost.
 *
 * <p>With {@code -Dwarmup=30s} the same load runs that much longer first, in this JVM, and the push latencies and
 * a second line, {@code HTTP LATENCY count=… p50=… p95=… p99=… max=…} (rockets messages, send to answer), cover
 * only what follows the warm-up and the ramp. A fresh Gatling JVM spent its first 15-20 s compiling (0.4-1.7 cores
 * of the 2 the gateway, broker and Mongo share), and a warm-up phase in a JVM of its own did not carry over.
 * Gatling's statistics and assertions still cover the whole run.
 */
public class PushLatencySimulation extends Simulation {

    private static final Duration GIVE_UP = Duration.ofSeconds(5);
    private static final ConcurrentLinkedQueue<Long> LATENCIES = new ConcurrentLinkedQueue<>();
    private static final ConcurrentLinkedQueue<Long> HTTP_LATENCIES = new ConcurrentLinkedQueue<>();
    private static volatile long measureFromMillis = Long.MAX_VALUE;
    private static final AtomicLong LOST = new AtomicLong();
    private static final AtomicLong PROBE_IDS = new AtomicLong();

    private final int channels = Settings.channels();
    private final int probes = Integer.parseInt(System.getProperty("probes", "5"));
    private final Duration probeInterval = Settings.parse(System.getProperty("probeInterval", "500ms"));
    private final double batchRate = Double.parseDouble(System.getProperty("batchRate", "0"));
    private final Duration warmup = Settings.parse(System.getProperty("warmup", "0s"));

    private static boolean measuring() {
        return System.currentTimeMillis() >= measureFromMillis;
    }

    private static String reading(String station, double pm25) {
        return "{\"stationId\":\"" + station + "\",\"timestamp\":\"" + Instant.now() + "\",\"pm2_5\":" + pm25 + "}";
    }

    /** Looks for the expected transition of this probe's station among the frames received so far. */
    private static Session findPushed(List<WsInboundMessage> frames, Session session) {
        long acceptedAt = session.getLong("acceptedAt");
        String station = "\"stationId\":\"" + session.getString("station") + "\"";
        for (WsInboundMessage frame : frames) {
            if (frame instanceof WsInboundMessage.Text text
                    && text.timestamp() >= session.getLong("sentAt")
                    && text.message().contains("\"type\":\"alert\"")
                    && text.message().contains("\"transition\":\"RAISED\"")
                    && text.message().contains(station)) {
                return session.set("pushedAfter", Math.max(0, text.timestamp() - acceptedAt));
            }
        }
        return session;
    }

    private final ChainBuilder probeOnce = io.gatling.javaapi.core.CoreDsl.exec(session -> {
                String station = "probe-" + Payloads.RUN + "-" + PROBE_IDS.incrementAndGet();
                return session.set("station", station)
                        .set("body", reading(station, 200))
                        .set("sentAt", System.currentTimeMillis())
                        .remove("pushedAfter");
            })
            .exec(http("POST /sensors/readings (probe)")
                    .post("/sensors/readings")
                    .header("Content-Type", "application/json")
                    .body(StringBody("#{body}"))
                    .check(status().is(202)))
            .exec(session -> session.set("acceptedAt", System.currentTimeMillis()))
            .asLongAs(session -> !session.contains("pushedAfter")
                            && System.currentTimeMillis() - session.getLong("acceptedAt") < GIVE_UP.toMillis())
            .on(io.gatling.javaapi.core.CoreDsl.pause(Duration.ofMillis(5))
                    .exec(ws.processUnmatchedMessages(PushLatencySimulation::findPushed)))
            .exec(session -> {
                if (measuring()) { // not during the warm-up
                    if (session.contains("pushedAfter")) {
                        LATENCIES.add(session.getLong("pushedAfter"));
                    } else {
                        LOST.incrementAndGet();
                    }
                }
                return session.set("body", reading(session.getString("station"), 5));
            })
            .exec(http("POST /sensors/readings (probe clears)")
                    .post("/sensors/readings")
                    .header("Content-Type", "application/json")
                    .body(StringBody("#{body}"))
                    .check(status().is(202)));

    private final ScenarioBuilder dashboards = scenario("dashboard probes")
            .exec(ws("connect /ws/live")
                    .connect("/ws/live?streams=alerts&severity=critical")
                    .await(10)
                    .on(ws.checkTextMessage("alerts-open")
                            .matching(substring("\"type\":\"alerts-open\""))
                            .check(regex("\"alerts\":\\["))))
            .exec(during(Settings.rampUp().plus(warmup).plus(Settings.duration()))
                    .on(io.gatling.javaapi.core.CoreDsl.exec(probeOnce).pause(probeInterval)))
            .exec(ws("close").close());

    private final ScenarioBuilder rockets = scenario("rockets")
            .exec(session -> session.set("sentNanos", System.nanoTime()))
            .exec(Requests.postRocketMessage(channels, 202))
            .exec(session -> {
                if (measuring()) {
                    HTTP_LATENCIES.add((System.nanoTime() - session.getLong("sentNanos")) / 1_000_000);
                }
                return session;
            });

    private final ScenarioBuilder batches = scenario("sensor batches")
            .feed(Stream.generate(() -> Payloads.nextReadingsBatch(channels, Settings.batchSize(), false))
                    .iterator())
            .exec(http("POST /sensors/readings")
                    .post("/sensors/readings")
                    .header("Content-Type", "application/json")
                    .body(StringBody("#{body}"))
                    .check(status().is(202)));

    private PopulationBuilder open(ScenarioBuilder scenario, double rate) {
        return scenario.injectOpen(
                rampUsersPerSec(Math.min(1, rate)).to(rate).during(Settings.rampUp()),
                constantUsersPerSec(rate).during(warmup.plus(Settings.duration())));
    }

    {
        List<PopulationBuilder> populations = new ArrayList<>();
        populations.add(dashboards.injectOpen(nothingFor(Duration.ofMillis(200)), atOnceUsers(probes)));
        if (Settings.rate() > 0) {
            populations.add(open(rockets, Settings.rate()));
        }
        if (batchRate > 0) {
            populations.add(open(batches, batchRate));
        }
        setUp(populations)
                .protocols(Protocols.http()
                        .wsBaseUrl(Settings.baseUrl().replaceFirst("^http", "ws"))
                        .wsUnmatchedInboundMessageBufferSize(256))
                .maxDuration(Settings.rampUp().plus(warmup).plus(Settings.duration()).plusSeconds(30))
                .assertions(
                        global().failedRequests().percent().lte(Settings.maxErrorPercent()),
                        global().responseTime().percentile(99.0).lt(Settings.p99Millis()));
    }

    @Override
    public void before() {
        Timeline.started();
        measureFromMillis = warmup.isZero()
                ? 0
                : System.currentTimeMillis() + Settings.rampUp().plus(warmup).toMillis();
    }

    @Override
    public void after() {
        Timeline.ended();
        List<Long> sorted = LATENCIES.stream().sorted().toList();
        System.out.println(String.format(
                Locale.ROOT,
                "PUSH LATENCY count=%d lost=%d p50=%s p95=%s p99=%s max=%s",
                sorted.size(),
                LOST.get(),
                Percentiles.of(sorted, 0.50),
                Percentiles.of(sorted, 0.95),
                Percentiles.of(sorted, 0.99),
                sorted.isEmpty() ? "-" : sorted.get(sorted.size() - 1)));
        if (!warmup.isZero()) {
            List<Long> http = HTTP_LATENCIES.stream().sorted().toList();
            System.out.println(String.format(
                    Locale.ROOT,
                    "HTTP LATENCY count=%d p50=%s p95=%s p99=%s max=%s",
                    http.size(),
                    Percentiles.of(http, 0.50),
                    Percentiles.of(http, 0.95),
                    Percentiles.of(http, 0.99),
                    http.isEmpty() ? "-" : http.get(http.size() - 1)));
        }
    }

}
