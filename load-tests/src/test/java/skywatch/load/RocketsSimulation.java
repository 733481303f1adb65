package skywatch.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.util.stream.Stream;

/**
 * Single-message Rockets POSTs over many channels (open model: a constant arrival rate after a ramp), each
 * request a new message of its channel. Passes when at most maxErrorPercent of requests fail (anything but 202)
 * and the 99th percentile stays under p99Millis.
 */
public class RocketsSimulation extends Simulation {

    private final int channels = Settings.channels();

    private final ScenarioBuilder rockets = scenario("rockets")
            .feed(Stream.generate(() -> Payloads.nextRocketMessage(channels)).iterator())
            .exec(http("POST /messages")
                    .post("/messages")
                    .header("Content-Type", "application/json")
                    .body(StringBody("#{body}"))
                    .check(status().is(202)));

    {
        setUp(rockets.injectOpen(
                        rampUsersPerSec(1).to(Settings.rate()).during(Settings.rampUp()),
                        constantUsersPerSec(Settings.rate()).during(Settings.duration())))
                .protocols(Protocols.http())
                .maxDuration(Settings.rampUp().plus(Settings.duration()).plusSeconds(30))
                .assertions(
                        global().failedRequests().percent().lte(Settings.maxErrorPercent()),
                        global().responseTime().percentile(99.0).lt(Settings.p99Millis()));
    }

}
