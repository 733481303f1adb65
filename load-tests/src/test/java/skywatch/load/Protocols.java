package skywatch.load;

import io.gatling.javaapi.http.HttpProtocolBuilder;

/** The HTTP protocol every simulation uses: keep-alive connections shared by all virtual users, as emitters do. */
final class Protocols {

    private Protocols() {}

    static HttpProtocolBuilder http() {
        return io.gatling.javaapi.http.HttpDsl.http
                .baseUrl(Settings.baseUrl())
                .shareConnections()
                .acceptHeader("application/json")
                .userAgentHeader("skywatch-load-tests");
    }
}
