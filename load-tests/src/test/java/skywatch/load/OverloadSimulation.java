package skywatch.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.holdFor;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.reachRps;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Overload and recovery: single Rockets messages at `rate` per second (meant as 2× the gateway's peak) for
 * `duration`, then `recoveryRate` per second for `recovery`. Every answer must be 202, or 503/429 carrying
 * Retry-After; anything else fails the run. After the load drops, each request's status and latency is recorded
 * against the time since the drop, and the end of the run prints
 * {@code RECOVERY requests=… refused=… last_refused_ms=… late_requests=… late_refused=… late_p99_ms=…}: when the
 * last refusal came after the drop, and how the requests sent from 10 s after the drop on fared (refusals and
 * p99 latency); recovered within 10 s means no late refusal and a late p99 as at normal load.
 *
 * <p>`clients` (0: an open model) sends the overload from that many clients instead, each sending its next request
 * once the previous one is answered, together throttled to `rate` per second. An open model at thousands of
 * requests per second opens a connection for every request waiting for its answer, and Gatling's JVM ran out of file
 * descriptors (20,000 here, a hard limit) before the gateway was saturated; a fixed set of clients bounds the
 * connections. With more clients than the gateway's `skywatch.ingest.max-concurrent-requests`, the gateway is still
 * offered more than it takes in; the rate is `rate` as long as answers take less than `clients / rate` seconds.
 */
public class OverloadSimulation extends Simulation {

    private static final AtomicLong REQUESTS = new AtomicLong();
    private static final AtomicLong REFUSED = new AtomicLong();
    private static final AtomicLong LAST_REFUSED = new AtomicLong(-1);
    private static final long RECOVERY_BOUND_MILLIS = 10_000;
    private static final ConcurrentLinkedQueue<Long> LATE_MILLIS = new ConcurrentLinkedQueue<>();
    private static final AtomicLong LATE_REFUSED = new AtomicLong();
    private static volatile long dropAt;

    private final int channels = Settings.channels();
    private final double recoveryRate = Double.parseDouble(System.getProperty("recoveryRate", "20"));
    private final Duration recovery = Settings.parse(System.getProperty("recovery", "20s"));
    private final int clients = Integer.getInteger("clients", 0);

    private ChainBuilder post(String name) {
        return feed(Stream.generate(() -> Payloads.nextRocketMessage(channels)).iterator())
                .exec(http(name)
                        .post("/messages")
                        .header("Content-Type", "application/json")
                        .body(StringBody("#{body}"))
                        .check(status().in(202, 429, 503).saveAs("status"))
                        .check(responseTimeInMillis().saveAs("millis"))
                        .checkIf((response, session) -> response.status().code() != 202)
                        .then(header("Retry-After").exists()));
    }

    private final ScenarioBuilder overload = scenario("overload").exec(post("POST /messages (overload)"));

    private final ScenarioBuilder overloadFromClients =
            scenario("overload").during(Settings.duration()).on(post("POST /messages (overload)"));

    private final ScenarioBuilder afterDrop = scenario("after the load drops")
            .exec(post("POST /messages (after the drop)"))
            .exec(session -> {
                if (!session.contains("status")) {
                    return session;
                }
                long sinceDrop = System.currentTimeMillis() - dropAt;
                REQUESTS.incrementAndGet();
                boolean refused = session.getInt("status") != 202;
                if (refused) {
                    REFUSED.incrementAndGet();
                    LAST_REFUSED.accumulateAndGet(sinceDrop, Math::max);
                }
                if (sinceDrop >= RECOVERY_BOUND_MILLIS) {
                    LATE_MILLIS.add(session.getLong("millis"));
                    if (refused) {
                        LATE_REFUSED.incrementAndGet();
                    }
                }
                return session;
            });

    {
        Duration whole = Settings.duration().plus(recovery).plusSeconds(30);
        SetUp setUp = setUp(
                        clients > 0
                                ? overloadFromClients.injectOpen(atOnceUsers(clients))
                                : overload.injectOpen(constantUsersPerSec(Settings.rate())
                                        .during(Settings.duration())),
                        afterDrop.injectOpen(
                                nothingFor(Settings.duration()),
                                constantUsersPerSec(recoveryRate).during(recovery)))
                .protocols(Protocols.http())
                .maxDuration(whole)
                .assertions(global().failedRequests().count().is(0L));
        if (clients > 0) {
            setUp.throttle(reachRps((int) Math.round(Settings.rate())).in(Duration.ofSeconds(1)), holdFor(whole));
        }
    }

    @Override
    public void before() {
        Timeline.started();
        dropAt = System.currentTimeMillis() + Settings.duration().toMillis();
    }

    @Override
    public void after() {
        Timeline.ended();
        List<Long> late = LATE_MILLIS.stream().sorted().toList();
        System.out.println(String.format(
                Locale.ROOT,
                "RECOVERY requests=%d refused=%d last_refused_ms=%d late_requests=%d late_refused=%d late_p99_ms=%s",
                REQUESTS.get(),
                REFUSED.get(),
                LAST_REFUSED.get(),
                late.size(),
                LATE_REFUSED.get(),
                Percentiles.of(late, 0.99)));
    }
}
