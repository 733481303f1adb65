package io.skywatch.security;

import static io.skywatch.testing.Auth.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** No key or parameter a client chooses becomes a MongoDB operator or path. */
@QuarkusTest
class InjectionTest {

    private static String launch(String channel, String message) {
        return "{\"metadata\":{\"channel\":\"" + channel
                + "\",\"messageNumber\":1,\"messageTime\":\"2026-11-26T03:00:00Z\",\"messageType\":\"RocketLaunched\"},"
                + "\"message\":" + message + "}";
    }

    @Test
    void operatorKeysInARocketMessageAreRejected() {
        String channel = "inj-" + UUID.randomUUID();
        given().contentType("application/json")
                .body(launch(channel, "{\"type\":\"F\",\"launchSpeed\":1,\"mission\":\"M\",\"$where\":\"sleep(9)\"}"))
                .post("/messages")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("$.message.$where"));
        given().contentType("application/json")
                .body(launch(
                        channel, "{\"type\":\"F\",\"launchSpeed\":1,\"mission\":\"M\",\"x\":{\"$gt\":\"\"},\"a.b\":1}"))
                .post("/messages")
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("$.message.x.$gt"))
                .body("errors.field", hasItem("$.message.a.b"));
        // Extended JSON ($date, $code, …) is refused the same way: it would change the stored type.
        given().contentType("application/json")
                .body(launch(channel, "{\"type\":\"F\",\"launchSpeed\":1,\"mission\":\"M\",\"t\":{\"$code\":\"x\"}}"))
                .post("/messages")
                .then()
                .statusCode(422);
        given().get("/rockets/" + channel).then().statusCode(404);
    }

    @Test
    void operatorKeysInAReadingAreRejected() {
        given().contentType("application/json")
                .body("[{\"stationId\":\"inj-st\",\"timestamp\":\"2026-11-26T03:00:00Z\",\"temperature\":{\"$gt\":0}}]")
                .post("/sensors/readings")
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("$[0].temperature.$gt"));
    }

    @Test
    void operatorAndDottedKeysInStationMetadataAreRejected() {
        given().contentType("application/json")
                .body("{\"id\":\"inj-st-1\",\"name\":\"n\",\"metadata\":{\"$where\":\"1\"}}")
                .post("/stations")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("$.metadata"));
        given().contentType("application/json")
                .body("{\"id\":\"inj-st-1\",\"name\":\"n\",\"metadata\":{\"a.b\":\"1\"}}")
                .post("/stations")
                .then()
                .statusCode(422);
        given().get("/stations/inj-st-1").then().statusCode(404);
    }

    @Test
    void queryParametersStayValues() {
        // An operator-looking value is compared as a plain string: it matches nothing.
        given().queryParam("district", "{\"$ne\":null}")
                .get("/stations")
                .then()
                .statusCode(200)
                .body("$", empty());
        given().queryParam("district[$ne]", "x").get("/stations").then().statusCode(200);
        given().queryParam("sort", "$where")
                .get("/rockets")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("sort"));
        given().queryParam("status", "{\"$gt\":\"\"}").get("/rockets").then().statusCode(400);
        given().urlEncodingEnabled(false)
                .get("/rockets/%7B%22%24gt%22%3A%22%22%7D")
                .then()
                .statusCode(404);
        given().queryParam("from", "{\"$gt\":1}")
                .get("/stations/x/readings")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("from"));
    }
}
