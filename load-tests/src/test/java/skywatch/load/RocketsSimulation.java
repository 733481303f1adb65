package skywatch.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

/**
 * Single-message Rockets POSTs over many channels (open model: a constant arrival rate after a ramp), each
 * request a new message of its channel. Passes when at most maxErrorPercent of requests fail (anything but 202)
 * and the 99th percentile stays under p99Millis.
 */
public class RocketsSimulation extends Simulation {

    private final int channels = Settings.channels();

    private final ScenarioBuilder rockets = scenario("rockets")
            .exec(Requests.postRocketMessage(channels, 202));

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
