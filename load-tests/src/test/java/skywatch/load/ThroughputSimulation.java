package skywatch.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.util.stream.Stream;

/**
 * Closed model: `users` requests always in flight for `duration`, each user sending its next request as soon as
 * the last was answered. The OK requests per second it reaches is the peak throughput of the target:
 * `kind` = rockets (single messages to /messages) or sensors (batches of batchSize readings, JSON arrays), and
 * `target` = gateway (the real endpoint) or discard (the same parsing and validation, answered without
 * publishing: the HTTP ceiling). 503/429 count as failed, so they lower the figure instead of inflating it.
 */
public class ThroughputSimulation extends Simulation {

    private final String kind = System.getProperty("kind", "rockets");
    private final boolean discard = "discard".equals(System.getProperty("target", "gateway"));
    private final int users = Integer.parseInt(System.getProperty("users", "32"));
    private final int channels = Settings.channels();
    private final int batchSize = Settings.batchSize();

    private ScenarioBuilder load() {
        String prefix = discard ? "/bench/discard" : "";
        if (kind.equals("sensors")) {
            String path = prefix + "/sensors/readings";
            return scenario("sensor batches")
                    .feed(Stream.generate(() -> Payloads.nextReadingsBatch(channels, batchSize, false))
                            .iterator())
                    .exec(http("POST " + path)
                            .post(path)
                            .header("Content-Type", "application/json")
                            .body(StringBody("#{body}"))
                            .check(status().is(202)));
        }
        String path = prefix + "/messages";
        return scenario("rockets messages")
                .feed(Stream.generate(() -> Payloads.nextRocketMessage(channels)).iterator())
                .exec(http("POST " + path)
                        .post(path)
                        .header("Content-Type", "application/json")
                        .body(StringBody("#{body}"))
                        .check(status().is(202)));
    }

    {
        setUp(load().injectClosed(constantConcurrentUsers(users).during(Settings.duration())))
                .protocols(Protocols.http())
                .maxDuration(Settings.duration().plusSeconds(30))
                .assertions(global().failedRequests().percent().lte(Settings.maxErrorPercent()));
    }

    @Override
    public void before() {
        Timeline.started();
    }

    @Override
    public void after() {
        Timeline.ended();
    }
}
