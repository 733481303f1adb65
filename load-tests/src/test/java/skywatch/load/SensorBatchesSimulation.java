package skywatch.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.util.stream.Stream;

/**
 * Station readings in batches of batchSize, half as a JSON array and half as NDJSON, from `channels` stations.
 * `rate` is batches per second in all, so readings per second = rate × batchSize.
 */
public class SensorBatchesSimulation extends Simulation {

    private final int stations = Settings.channels();
    private final int batchSize = Settings.batchSize();

    private ScenarioBuilder batches(boolean ndjson) {
        String form = ndjson ? "ndjson" : "array";
        return scenario("sensor batches (" + form + ")")
                .feed(Stream.generate(() -> Payloads.nextReadingsBatch(stations, batchSize, ndjson))
                        .iterator())
                .exec(http("POST /sensors/readings (" + form + ")")
                        .post("/sensors/readings")
                        .header("Content-Type", ndjson ? "application/x-ndjson" : "application/json")
                        .body(StringBody("#{body}"))
                        .check(status().is(202)));
    }

    private PopulationBuilder half(boolean ndjson) {
        double rate = Settings.rate() / 2;
        return batches(ndjson)
                .injectOpen(
                        rampUsersPerSec(0.5).to(rate).during(Settings.rampUp()),
                        constantUsersPerSec(rate).during(Settings.duration()));
    }

    {
        setUp(half(false), half(true))
                .protocols(Protocols.http())
                .maxDuration(Settings.rampUp().plus(Settings.duration()).plusSeconds(30))
                .assertions(
                        global().failedRequests().percent().lte(Settings.maxErrorPercent()),
                        global().responseTime().percentile(99.0).lt(Settings.p99Millis()));
    }
}
