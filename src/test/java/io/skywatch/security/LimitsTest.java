package io.skywatch.security;

import static io.skywatch.testing.Auth.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.skywatch.testing.Auth;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every limit answers with its own status and a problem+json reason, never a class name. */
@QuarkusTest
class LimitsTest {

    @TestHTTPResource("/")
    URI root;

    private static String launch(String messageExtra) {
        return "{\"metadata\":{\"channel\":\"lim-" + UUID.randomUUID()
                + "\",\"messageNumber\":1,\"messageTime\":\"2026-11-26T03:00:00Z\",\"messageType\":\"RocketLaunched\"},"
                + "\"message\":{\"type\":\"Falcon-9\",\"launchSpeed\":500,\"mission\":\"ARTEMIS\"" + messageExtra
                + "}}";
    }

    private static String reading(String extra) {
        return "{\"stationId\":\"lim-st-1\",\"timestamp\":\"" + Instant.now().minusSeconds(5)
                + "\",\"temperature\":21.5" + extra + "}";
    }

    private static ValidatableResponse problem(ValidatableResponse response, int status) {
        return response.statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body(not(containsString("StreamReadConstraints")))
                .body(not(containsString("Exception")))
                .body(not(containsString("com.fasterxml")));
    }

    @Test
    void jsonNestedTooDeepIsABadRequest() {
        String deep = "[".repeat(40) + "]".repeat(40);
        problem(
                        given().contentType("application/json")
                                .body(launch(",\"x\":" + deep))
                                .post("/messages")
                                .then(),
                        400)
                .body("detail", containsString("nests too deep"))
                .body("detail", containsString("skywatch.limits.json-max-depth"));
        problem(
                        given().contentType("application/json")
                                .body("[" + reading(",\"x\":" + deep) + "]")
                                .post("/sensors/readings")
                                .then(),
                        400)
                .body("detail", containsString("nests too deep"));
    }

    @Test
    void jsonNestedTooDeepInAnAdminBodyIsABadRequestToo() {
        String deep = "{\"a\":".repeat(40) + "1" + "}".repeat(40);
        problem(
                given().contentType("application/json")
                        .body(deep)
                        .post("/alert-rules")
                        .then(),
                400);
        problem(
                given().contentType("application/json")
                        .body(deep)
                        .post("/stations")
                        .then(),
                400);
        problem(
                given().contentType("application/json")
                        .body(deep)
                        .post("/admin/keys")
                        .then(),
                400);
    }

    @Test
    void tooLongNumberIsABadRequest() {
        problem(
                        given().contentType("application/json")
                                .body(launch(",\"n\":" + "9".repeat(100)))
                                .post("/messages")
                                .then(),
                        400)
                .body("detail", containsString("number is too long"));
    }

    @Test
    void tooLongStringIsABadRequest() {
        problem(
                        given().contentType("application/json")
                                .body("[" + reading(",\"note\":\"" + "s".repeat(70_000) + "\"") + "]")
                                .post("/sensors/readings")
                                .then(),
                        400)
                .body("detail", containsString("string is too long"));
    }

    @Test
    void tooLongKeyIsABadRequest() {
        problem(
                        given().contentType("application/json")
                                .body(launch(",\"" + "k".repeat(300) + "\":1"))
                                .post("/messages")
                                .then(),
                        400)
                .body("detail", containsString("key is too long"));
    }

    @Test
    void tooManyReadingsInOneBatchIsTooLarge() {
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i <= 10_000; i++) {
            batch.append(i == 0 ? "" : ",").append("{}");
        }
        problem(
                        given().contentType("application/json")
                                .body(batch.append(']').toString())
                                .post("/sensors/readings")
                                .then(),
                        413)
                .body("detail", containsString("max-batch-items"));
    }

    @Test
    void unsupportedMediaTypeOnEveryIngestEndpoint() throws Exception {
        problem(
                given().contentType("text/plain")
                        .body(launch(""))
                        .post("/messages")
                        .then(),
                415);
        problem(
                given().contentType("application/xml")
                        .body("<r/>")
                        .post("/sensors/readings")
                        .then(),
                415);
        problem(
                given().contentType("text/csv")
                        .body("a,b")
                        .post("/streams/whatever/events")
                        .then(),
                415);
        // No Content-Type at all is JSON on /messages, as the Rockets emitter sends it (REST Assured always sends one).
        HttpResponse<String> noType = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(root.resolve("/messages"))
                                .header(Auth.HEADER, Auth.adminKey())
                                .POST(HttpRequest.BodyPublishers.ofString(launch("")))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(noType.statusCode()).as(noType.body()).isEqualTo(202);
    }

    @Test
    void chunkedBodyOverTheGatewayLimitIsTooLarge() throws IOException {
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /sensors/readings HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                            + "X-API-Key: " + Auth.adminKey() + "\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) ' ');
            String size = Integer.toHexString(chunk.length) + "\r\n";
            try {
                for (int i = 0; i < 11 * 16; i++) { // 11 MiB against the 10M limit
                    out.write(size.getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException closedEarly) {
                // The gateway may answer and close before the whole body is sent; the answer is what counts.
            }
            String response = readResponse(socket.getInputStream());
            assertThat(response).startsWith("HTTP/1.1 413");
            assertThat(response).containsIgnoringCase("content-type: application/problem+json");
            assertThat(response).contains("\"status\":413");
        }
    }

    @Test
    void bodyThatNeverFinishesArrivingTimesOut() throws IOException {
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            long start = System.nanoTime();
            out.write(("POST /messages HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                            + "X-API-Key: " + Auth.adminKey() + "\r\nContent-Length: 500\r\n\r\n{\"metadata\":")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = readResponse(socket.getInputStream());
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            assertThat(response).startsWith("HTTP/1.1 408");
            assertThat(response).containsIgnoringCase("content-type: application/problem+json");
            assertThat(response).contains("skywatch.limits.request-timeout");
            // %test.skywatch.limits.request-timeout=10s
            assertThat(waited).isBetween(Duration.ofSeconds(9), Duration.ofSeconds(25));
        }
    }

    /** Status line, headers and body of one response (the server closes the connection after it). */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                read.write(buffer, 0, n);
                String text = read.toString(StandardCharsets.UTF_8);
                int headersEnd = text.indexOf("\r\n\r\n");
                if (headersEnd > 0 && text.substring(headersEnd + 4).endsWith("}")) {
                    break;
                }
            }
        } catch (java.net.SocketException reset) {
            // closed by the server after answering
        }
        return read.toString(StandardCharsets.UTF_8);
    }
}
