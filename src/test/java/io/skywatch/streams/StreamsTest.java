package io.skywatch.streams;

import static io.skywatch.testing.Auth.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.skywatch.testing.LiveSocketClient;
import io.skywatch.testing.TopicContents;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Streams defined over HTTP at run time (seed 004's login events, seed 002's cow measurements). */
@QuarkusTest
class StreamsTest {

    /** Prometheus metrics, on the management interface. */
    @TestHTTPResource(value = "/metrics", management = true)
    URL metricsUrl;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String loginStream(String name) {
        return """
                {"name":"%s","description":"User logins (seed 004)",
                 "schema":{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",
                   "required":["user_id","app_version","device_type","ip","locale","device_id","timestamp"],
                   "properties":{"user_id":{"type":"string"},"app_version":{"type":"string"},
                     "device_type":{"type":"string"},"ip":{"type":"string"},"locale":{"type":"string"},
                     "device_id":{"type":"string"},"timestamp":{"type":"integer"}}},
                 "keyField":"user_id","eventTimeField":"timestamp","eventTimeUnit":"s",
                 "filters":[
                   {"name":"supported-devices","field":"device_type","op":"notIn","value":["android","iOS"],
                    "action":"drop","reason":"unsupported device type"},
                   {"name":"minimum-version","field":"app_version","op":"versionBelow","value":"2.0.0",
                    "action":"reject","reason":"app version below 2.0.0 is no longer supported"}],
                 "aggregations":[{"name":"logins-by-device","type":"count","field":"device_type","window":"60s"}],
                 "publishFiltered":true}""".formatted(name);
    }

    private static void define(String body) {
        given().contentType("application/json")
                .body(body)
                .post("/streams")
                .then()
                .statusCode(201);
    }

    @TestHTTPResource("/ws/live")
    URI live;

    @Test
    void loginEventsAreValidatedFilteredEnrichedStoredPublishedAndCounted() throws Exception {
        String stream = unique("logins");
        define(loginStream(stream));
        LiveSocketClient client = LiveSocketClient.connect(live, "streams=" + stream);
        client.await(message -> message.type().equals("subscribed"), WAIT);

        Random random = new Random(4);
        String[] devices = {"android", "iOS", "windows"};
        String[] versions = {"2.3.0", "2.10.1", "1.9.4"};
        List<ObjectNode> events = new ArrayList<>();
        int valid = 0;
        int filtered = 0;
        int oldVersions = 0;
        int missingFields = 0;
        Set<String> validUsers = new HashSet<>();
        Map<String, Map<String, Long>> perMinute = new TreeMap<>();
        for (int i = 0; i < 2000; i++) {
            ObjectNode login = JSON.createObjectNode()
                    .put("user_id", UUID.randomUUID().toString())
                    .put("app_version", versions[random.nextInt(versions.length)])
                    .put("device_type", devices[random.nextInt(devices.length)])
                    .put("ip", "10.0." + random.nextInt(256) + "." + random.nextInt(256))
                    .put("locale", "NL")
                    .put("device_id", UUID.randomUUID().toString())
                    .put("timestamp", 1_764_000_000L + i);
            if (random.nextInt(20) == 0) {
                login.remove("device_id");
                missingFields++;
            } else if (login.get("device_type").asText().equals("windows")) {
                filtered++;
            } else if (login.get("app_version").asText().equals("1.9.4")) {
                oldVersions++;
            } else {
                valid++;
                validUsers.add(login.get("user_id").asText());
                long minute = login.get("timestamp").asLong() / 60 * 60;
                perMinute
                        .computeIfAbsent(Instant.ofEpochSecond(minute).toString(), m -> new TreeMap<>())
                        .merge(login.get("device_type").asText(), 1L, Long::sum);
            }
            events.add(login);
        }

        int accepted = 0;
        int rejected = 0;
        int dropped = 0;
        List<String> reasons = new ArrayList<>();
        for (int from = 0; from < events.size(); from += 100) {
            List<ObjectNode> batch = events.subList(from, from + 100);
            boolean ndjson = from % 500 == 0;
            String body;
            if (ndjson) {
                StringBuilder lines = new StringBuilder();
                batch.forEach(event -> lines.append(event).append('\n'));
                body = lines.toString();
            } else {
                ArrayNode array = JSON.createArrayNode();
                batch.forEach(array::add);
                body = array.toString();
            }
            JsonPath result = given().contentType(ndjson ? "application/x-ndjson" : "application/json")
                    .body(body.getBytes(StandardCharsets.UTF_8))
                    .post("/streams/{name}/events", stream)
                    .then()
                    .statusCode(202)
                    .extract()
                    .jsonPath();
            accepted += result.getInt("accepted");
            rejected += result.getInt("rejected");
            dropped += result.getInt("filtered");
            reasons.addAll(result.getList("rejections.errors.reason.flatten()", String.class));
        }
        assertThat(accepted).isEqualTo(valid);
        assertThat(dropped).isEqualTo(filtered);
        assertThat(rejected).isEqualTo(oldVersions + missingFields);
        assertThat(reasons.stream().filter(r -> r.equals("app version below 2.0.0 is no longer supported")))
                .hasSize(oldVersions);
        assertThat(reasons.stream().filter(r -> r.contains("device_id"))).hasSize(missingFields);

        String processedTopic = "streams." + stream + ".processed";
        int expectedValid = valid;
        await().atMost(WAIT).until(() -> TopicContents.readAll(processedTopic).size() >= expectedValid);
        List<ConsumerRecord<String, String>> processed = TopicContents.readAll(processedTopic);
        assertThat(processed).hasSize(valid);
        Set<String> processedUsers = new HashSet<>();
        for (ConsumerRecord<String, String> record : processed) {
            JsonNode event = JSON.readTree(record.value());
            assertThat(record.key()).isEqualTo(event.get("user_id").asText());
            assertThat(event.get("eventTimeUtc").asText())
                    .isEqualTo(Instant.ofEpochSecond(event.get("timestamp").asLong())
                            .toString());
            assertThat(event.has("processedAt")).isTrue();
            assertThat(event.get("device_type").asText()).isIn("android", "iOS");
            processedUsers.add(record.key());
        }
        assertThat(processedUsers).isEqualTo(validUsers);

        List<ConsumerRecord<String, String>> filteredOut = TopicContents.readAll("streams." + stream + ".rejected");
        assertThat(filteredOut).hasSize(filtered);
        assertThat(new String(
                        filteredOut
                                .get(0)
                                .headers()
                                .lastHeader("filtered-reason")
                                .value(),
                        StandardCharsets.UTF_8))
                .isEqualTo("unsupported device type");

        List<String> stored = given().get("/streams/{name}/events?limit=10000", stream)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("key", String.class);
        assertThat(new HashSet<>(stored)).isEqualTo(validUsers);
        assertThat(stored).hasSize(valid);
        assertThat(given().get(metricsUrl).then().extract().asString())
                .contains("skywatch_ingest_events_total{outcome=\"filtered\",stream=\"" + stream + "\"} " + filtered
                        + ".0");

        // Logins per device type per minute of event time (the seed's device_type_count), merged over partitions.
        String from = Instant.ofEpochSecond(1_764_000_000L / 60 * 60).toString();
        String to = Instant.ofEpochSecond(1_764_000_000L + 3600).toString();
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode windows = JSON.readTree(given().get(
                            "/streams/{name}/aggregates?aggregation=logins-by-device&from={from}&to={to}",
                            stream,
                            from,
                            to)
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString());
            Map<String, Map<String, Long>> counted = new TreeMap<>();
            windows.forEach(window -> {
                Map<String, Long> counts = new TreeMap<>();
                window.path("counts")
                        .fields()
                        .forEachRemaining(
                                e -> counts.put(e.getKey(), e.getValue().asLong()));
                counted.put(window.path("start").asText(), counts);
            });
            assertThat(counted).isEqualTo(perMinute);
            assertThat(windows.get(0).path("complete").asBoolean()).isTrue();
        });
        // Each partition pushes the windows it closes; the first minute's pushes add up to its count.
        String firstMinute = perMinute.keySet().iterator().next();
        await().atMost(WAIT).untilAsserted(() -> {
            Map<String, Long> pushed = new TreeMap<>();
            client.ofType("aggregate").stream()
                    .map(message -> message.json().path("window"))
                    .filter(window -> window.path("start").asText().equals(firstMinute))
                    .forEach(window -> window.path("counts")
                            .forEach(count -> pushed.merge(
                                    count.path("value").asText(),
                                    count.path("count").asLong(),
                                    Long::sum)));
            assertThat(pushed).isEqualTo(perMinute.get(firstMinute));
        });
        client.close();
    }

    @Test
    void cowMeasurementsResentOrRedeliveredAreStoredAndPublishedOnce() throws Exception {
        String stream = unique("cows");
        define("""
                {"name":"%s","description":"Cow measurements (seed 002)",
                 "schema":{"type":"object","required":["cow_id","seq","timestamp","milk_litres"],
                   "properties":{"cow_id":{"type":"string"},"seq":{"type":"integer"},
                     "timestamp":{"type":"string","format":"date-time"},"milk_litres":{"type":"number","minimum":0}}},
                 "keyField":"cow_id","sequenceField":"seq","eventTimeField":"timestamp"}""".formatted(stream));
        ArrayNode measurements = JSON.createArrayNode();
        for (int cow = 0; cow < 5; cow++) {
            for (int seq = 1; seq <= 20; seq++) {
                measurements
                        .addObject()
                        .put("cow_id", "cow-" + cow)
                        .put("seq", seq)
                        .put("timestamp", "2026-11-25T06:%02d:00+01:00".formatted(seq))
                        .put("milk_litres", 10 + seq / 10.0);
            }
        }
        for (int send = 0; send < 2; send++) {
            given().contentType("application/json")
                    .body(measurements.toString())
                    .post("/streams/{name}/events", stream)
                    .then()
                    .statusCode(202)
                    .body("accepted", equalTo(100));
        }
        given().contentType("application/json")
                .body("{\"cow_id\":\"cow-9\",\"seq\":1,\"timestamp\":\"yesterday\",\"milk_litres\":-1}")
                .post("/streams/{name}/events", stream)
                .then()
                .statusCode(422)
                .body("errors.field", hasItems("$.timestamp", "$.milk_litres"));

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(given().get("/streams/{name}/events?limit=1000", stream)
                                .then()
                                .extract()
                                .jsonPath()
                                .getList("$"))
                        .hasSize(100));
        assertThat(TopicContents.readAll("streams." + stream + ".processed")).hasSize(100);
        JsonPath cow = given().get(
                        "/streams/{name}/events?key=cow-3&from=2026-11-25T05:05:00Z&to=2026-11-25T05:10:00Z", stream)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(cow.getList("sequence", Integer.class)).containsExactly(5, 6, 7, 8, 9);
        assertThat(cow.getString("[0].event.eventTimeUtc")).isEqualTo("2026-11-25T05:05:00Z");
    }

    @Test
    void eventsOfTheSameTimeAreListedInSequenceOrderWhateverOrderTheyArrivedIn() {
        String stream = unique("cows");
        define("""
                {"name":"%s","schema":{"type":"object","required":["cow_id","seq","timestamp"]},
                 "keyField":"cow_id","sequenceField":"seq","eventTimeField":"timestamp"}""".formatted(stream));
        // One batch time for all, sent newest first as concurrent emitters' batches can arrive.
        for (int seq : new int[] {3, 2, 1}) {
            given().contentType("application/json")
                    .body("{\"cow_id\":\"daisy\",\"seq\":%d,\"timestamp\":\"2026-11-25T06:00:00Z\"}".formatted(seq))
                    .post("/streams/{name}/events", stream)
                    .then()
                    .statusCode(202);
        }
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(given().get("/streams/{name}/events?key=daisy", stream)
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath()
                                .getList("sequence", Integer.class))
                        .containsExactly(1, 2, 3));
    }

    @Test
    void sequencedEventsArePublishedInOrderAndAQuietStreamMovesOnAndClosesItsWindows() throws Exception {
        String stream = unique("herd");
        define("""
                {"name":"%s","schema":{"type":"object","required":["cow_id","seq","milk"]},
                 "keyField":"cow_id","sequenceField":"seq","allowedLateness":"2s",
                 "aggregations":[{"name":"milk","type":"stats","field":"milk","window":"10s"}]}""".formatted(stream));
        List<Integer> sent = new ArrayList<>(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 15));
        java.util.Collections.shuffle(sent, new Random(2));
        ArrayNode batch = JSON.createArrayNode();
        sent.forEach(
                seq -> batch.addObject().put("cow_id", "bella").put("seq", seq).put("milk", seq));
        batch.addObject().put("cow_id", "bella").put("seq", 3).put("milk", 3);
        given().contentType("application/json")
                .body(batch.toString())
                .post("/streams/{name}/events", stream)
                .then()
                .statusCode(202)
                .body("accepted", equalTo(15));
        String processedTopic = "streams." + stream + ".processed";
        await().atMost(WAIT).until(() -> sequences(processedTopic).size() >= 10);
        assertThat(sequences(processedTopic)).startsWith(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);

        // Number 11 does not come and nothing else is sent: the sweeper lets the 3 s gap timeout (test profile)
        // pass on the quiet partition, and the key moves on.
        await().atMost(WAIT).until(() -> sequences(processedTopic).size() == 14);
        assertThat(sequences(processedTopic)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 15);
        // A number given up on that arrives after all is published as it comes.
        given().contentType("application/json")
                .body("{\"cow_id\":\"bella\",\"seq\":11,\"milk\":11}")
                .post("/streams/{name}/events", stream)
                .then()
                .statusCode(202);
        await().atMost(WAIT).until(() -> sequences(processedTopic).size() == 15);
        assertThat(sequences(processedTopic).get(14)).isEqualTo(11);

        // Once the partition has been quiet for the stream's 2 s lateness, its ended windows close: every event
        // once (the resent 3 not twice), whichever window it fell in.
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode windows = JSON.readTree(given().get("/streams/{name}/aggregates", stream)
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString());
            long count = 0;
            double max = 0;
            for (JsonNode window : windows) {
                assertThat(window.path("complete").asBoolean()).as("%s", window).isTrue();
                count += window.at("/stats/count").asLong();
                max = Math.max(max, window.at("/stats/max").asDouble());
            }
            assertThat(count).isEqualTo(15);
            assertThat(max).isEqualTo(15.0);
        });
    }

    private static List<Integer> sequences(String topic) throws Exception {
        List<Integer> sequences = new ArrayList<>();
        for (ConsumerRecord<String, String> record : TopicContents.readAll(topic)) {
            sequences.add(JSON.readTree(record.value()).get("seq").asInt());
        }
        return sequences;
    }

    @Test
    void deletedStreamRefusesEventsButKeepsItsDataUntilPurged() {
        String stream = unique("temp");
        define(loginStream(stream));
        String login = """
                {"user_id":"u-1","app_version":"2.3.0","device_type":"iOS","ip":"10.0.0.1","locale":"NL",\
                "device_id":"d-1","timestamp":1764000000}""";
        given().contentType("application/json")
                .body(login)
                .post("/streams/{name}/events", stream)
                .then()
                .statusCode(202);
        await().atMost(WAIT)
                .until(() -> given().get("/streams/{name}/events", stream)
                                .then()
                                .extract()
                                .jsonPath()
                                .getList("$")
                                .size()
                        == 1);

        given().delete("/streams/{name}", stream).then().statusCode(204);

        given().contentType("application/json")
                .body(login)
                .post("/streams/{name}/events", stream)
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("No stream named '" + stream + "'"));
        given().get("/streams/{name}", stream).then().statusCode(404);
        given().get("/streams/{name}/events", stream).then().statusCode(200).body("size()", equalTo(1));
        given().delete("/streams/{name}/events", stream).then().statusCode(200).body("deleted", equalTo(1));
        given().get("/streams/{name}/events", stream).then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void definitionsAreCheckedAndTheBuiltInStreamsAreListed() {
        given().contentType("application/json")
                .body("""
                        {"name":"Bad Name","schema":{"type":"nonsense"},"filters":[{"field":"x","op":"like",\
                        "action":"keep"}],"aggregations":[{"name":"a","type":"median","field":"v","window":"7d"}]}""")
                .post("/streams")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body(
                        "errors.field",
                        hasItems(
                                "$.name",
                                "$.keyField",
                                "$.filters[0].op",
                                "$.filters[0].action",
                                "$.aggregations[0].type",
                                "$.aggregations[0].window"))
                .body("errors.field", hasItem(org.hamcrest.Matchers.startsWith("$.schema")));
        given().contentType("application/json")
                .body("{\"name\":\"rockets\",\"schema\":{},\"keyField\":\"id\"}")
                .post("/streams")
                .then()
                .statusCode(422)
                .body("errors[0].reason", containsString("reserved"));

        String stream = unique("twice");
        define(loginStream(stream));
        given().contentType("application/json")
                .body(loginStream(stream))
                .post("/streams")
                .then()
                .statusCode(409);

        JsonPath all = given().get("/streams").then().statusCode(200).extract().jsonPath();
        assertThat(all.getList("name", String.class)).contains("rockets", "sensors", stream);
        assertThat(all.getString("find { it.name == 'rockets' }.keyField")).isEqualTo("/metadata/channel");
        assertThat(all.getBoolean("find { it.name == 'sensors' }.builtIn")).isTrue();
        assertThat(all.getString("find { it.name == '%s' }.topics.processed".formatted(stream)))
                .isEqualTo("streams." + stream + ".processed");
        given().delete("/streams/sensors").then().statusCode(409);
    }
}
