package skywatch.load;

import io.gatling.javaapi.http.HttpProtocolBuilder;

/**
 * The HTTP protocol every simulation uses: keep-alive connections shared by all virtual users, as emitters do, and
 * the API key when there is one.
 */
final class Protocols {

    private Protocols() {}

    static HttpProtocolBuilder http() {
        HttpProtocolBuilder http = io.gatling.javaapi.http.HttpDsl.http
                .baseUrl(Settings.baseUrl())
                .shareConnections()
                .acceptHeader("application/json")
                .userAgentHeader("skywatch-load-tests");
        // A secured gateway: one key (emitter and viewer roles) for every virtual user, as a fleet gateway would.
        String apiKey = Settings.apiKey();
        return apiKey.isEmpty() ? http : http.header("X-API-Key", apiKey);
    }
}
