package skywatch.load;

import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

/**
 * Open-model ramp of single Rockets messages from 1 to `rate` requests per second over `duration`, to find where
 * the gateway saturates. A saturated gateway must answer 503 or 429 with Retry-After, never anything else: those
 * count as handled here (named "refused"), any other answer fails the run.
 */
public class SaturationSimulation extends Simulation {

    private final int channels = Settings.channels();

    private final ScenarioBuilder ramp = scenario("saturation ramp")
            .exec(Requests.postRocketMessage(channels, 202, 429, 503));

    {
        setUp(ramp.injectOpen(rampUsersPerSec(1).to(Settings.rate()).during(Settings.duration())))
                .protocols(Protocols.http())
                .maxDuration(Settings.duration().plusSeconds(60))
                .assertions(global().failedRequests().count().is(0L));
    }
}
