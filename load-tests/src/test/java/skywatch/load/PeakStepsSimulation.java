package skywatch.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Single Rockets messages at a staircase of open-model rates, to find the highest rate the whole stack keeps up
 * with: `warmupRate` per second for `warmup` (this JVM and the gateway compile at a rate below the first level),
 * then each rate of `rates` (comma-separated, per second) for `level`. Every answer must be 202, or 503/429 (counted
 * as refused); anything else fails the run.
 *
 * <p>The gateway's metrics say how much of each level was stored in time; this simulation says when each level ran
 * and how its requests fared, one line per level at the end:
 * {@code LEVEL index=… rate=… from=… to=… requests=… refused=… p99=…} (epoch milliseconds, latency in
 * milliseconds, requests counted by when they were sent). load-tests/benchmark lines the two up.
 */
public class PeakStepsSimulation extends Simulation {

    private final int channels = Settings.channels();
    private final double warmupRate = Double.parseDouble(System.getProperty("warmupRate", "100"));
    private final Duration warmup = Settings.parse(System.getProperty("warmup", "20s"));
    private final Duration level = Settings.parse(System.getProperty("level", "15s"));
    private final double[] rates = Arrays.stream(System.getProperty("rates", "200,400").split(","))
            .map(String::trim)
            .mapToDouble(Double::parseDouble)
            .toArray();

    private final List<Level> levels = new ArrayList<>();
    /** When the first request was sent: the injection profile's time zero, which comes a little after before(). */
    private final AtomicLong injectionStart = new AtomicLong(-1);

    private record Level(double rate, AtomicLong requests, AtomicLong refused, ConcurrentLinkedQueue<Long> millis) {}

    private final ScenarioBuilder steps = scenario("peak steps")
            .exec(session -> {
                long now = System.currentTimeMillis();
                injectionStart.compareAndSet(-1, now);
                return session.set("sentAt", now);
            })
            .feed(Stream.generate(() -> Payloads.nextRocketMessage(channels)).iterator())
            .exec(http("POST /messages")
                    .post("/messages")
                    .header("Content-Type", "application/json")
                    .body(StringBody("#{body}"))
                    .check(status().in(202, 429, 503).saveAs("status"))
                    .check(responseTimeInMillis().saveAs("millis")))
            .exec(session -> {
                if (session.contains("status")) {
                    record(session.getLong("sentAt"), session.getInt("status"), session.getLong("millis"));
                }
                return session;
            });

    {
        List<OpenInjectionStep> injection = new ArrayList<>();
        injection.add(constantUsersPerSec(warmupRate).during(warmup));
        for (double rate : rates) {
            levels.add(new Level(rate, new AtomicLong(), new AtomicLong(), new ConcurrentLinkedQueue<>()));
            injection.add(constantUsersPerSec(rate).during(level));
        }
        setUp(steps.injectOpen(injection))
                .protocols(Protocols.http())
                .maxDuration(warmup.plus(level.multipliedBy(rates.length)).plusSeconds(60))
                .assertions(global().failedRequests().count().is(0L));
    }

    private void record(long sentAt, int status, long millis) {
        long intoLevels = sentAt - injectionStart.get() - warmup.toMillis();
        if (intoLevels < 0) {
            return;
        }
        int index = (int) (intoLevels / level.toMillis());
        if (index >= levels.size()) {
            return;
        }
        Level current = levels.get(index);
        current.requests().incrementAndGet();
        if (status != 202) {
            current.refused().incrementAndGet();
        }
        current.millis().add(millis);
    }

    @Override
    public void before() {
        Timeline.started();
    }

    @Override
    public void after() {
        Timeline.ended();
        for (int i = 0; i < levels.size(); i++) {
            Level current = levels.get(i);
            long from = injectionStart.get() + warmup.toMillis() + i * level.toMillis();
            List<Long> sorted = current.millis().stream().sorted().toList();
            System.out.println(String.format(
                    Locale.ROOT,
                    "LEVEL index=%d rate=%.0f from=%d to=%d requests=%d refused=%d p99=%s",
                    i,
                    current.rate(),
                    from,
                    from + level.toMillis(),
                    current.requests().get(),
                    current.refused().get(),
                    Percentiles.of(sorted, 0.99)));
        }
    }
}
