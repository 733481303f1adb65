package skywatch.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.util.stream.Stream;

/**
 * A city profile: stations sending small batches (rate/2 batches of 10 readings per second), rocket telemetry
 * (rate/2 single messages per second) and dashboards reading (rate/20 queries per second), all at once.
 */
public class CitySimulation extends Simulation {

    private final int channels = Settings.channels();
    private final double rate = Settings.rate();

    private final ScenarioBuilder stations = scenario("stations")
            .feed(Stream.generate(() -> Payloads.nextReadingsBatch(channels, 10, false)).iterator())
            .exec(http("POST /sensors/readings")
                    .post("/sensors/readings")
                    .header("Content-Type", "application/json")
                    .body(StringBody("#{body}"))
                    .check(status().is(202)));

    private final ScenarioBuilder rockets = scenario("rockets")
            .exec(Requests.postRocketMessage(channels, 202));

    private final ScenarioBuilder dashboards = scenario("dashboards")
            .exec(http("GET /rockets").get("/rockets?limit=100").check(status().is(200)))
            .exec(http("GET /alerts").get("/alerts?limit=50").check(status().is(200)));

    {
        setUp(
                        stations.injectOpen(constantUsersPerSec(rate / 2).during(Settings.duration())),
                        rockets.injectOpen(constantUsersPerSec(rate / 2).during(Settings.duration())),
                        dashboards.injectOpen(constantUsersPerSec(Math.max(1, rate / 20)).during(Settings.duration())))
                .protocols(Protocols.http())
                .maxDuration(Settings.duration().plusSeconds(30))
                .assertions(
                        global().failedRequests().percent().lte(Settings.maxErrorPercent()),
                        global().responseTime().percentile(99.0).lt(Settings.p99Millis()));
    }
}
