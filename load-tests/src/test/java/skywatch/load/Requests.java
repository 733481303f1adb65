package skywatch.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import java.util.stream.Stream;

/** The requests the simulations share. */
final class Requests {

    private Requests() {}

    /** The next Rockets message of `channels` channels, POSTed; answers other than those listed fail the request. */
    static ChainBuilder postRocketMessage(int channels, Integer... acceptedStatuses) {
        return feed(Stream.generate(() -> Payloads.nextRocketMessage(channels)).iterator())
                .exec(http("POST /messages")
                        .post("/messages")
                        .header("Content-Type", "application/json")
                        .body(StringBody("#{body}"))
                        .check(status().in(acceptedStatuses)));
    }
}
