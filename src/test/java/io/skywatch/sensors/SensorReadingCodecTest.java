package io.skywatch.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import io.skywatch.ingest.JsonSchemas;
import io.skywatch.problem.Problem.FieldError;
import io.skywatch.security.MongoSafeJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The codec checks the metrics' bounds itself rather than through the JSON Schema validator (see
 * {@code outside}); the published schema still states them. Whatever the reading, the codec must find
 * exactly what the published schema finds, in the same words (after the document-store checks that come first).
 */
class SensorReadingCodecTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final SensorReadingCodec codec = new SensorReadingCodec(mapper);
    private final Schema published = JsonSchemas.fromJson(codec.schemaJson());

    @ParameterizedTest
    @ValueSource(
            strings = {
                // inside, and exactly on, the bounds
                "\"temperature\": 21.5",
                "\"temperature\": -90, \"humidity\": 100",
                "\"temperature\": -90.0, \"illuminance\": 200000.0",
                // just outside, fractional and whole
                "\"temperature\": -90.0001",
                "\"temperature\": 60.00000001",
                "\"humidity\": -1",
                "\"pm2_5\": 2001",
                "\"population_density\": 100000.5",
                // far outside, and beyond a double's range
                "\"so2\": 1e308",
                "\"so2\": -1e400",
                "\"pressure\": 123456789012345678901234567890",
                // several at once, and with other errors
                "\"temperature\": 99, \"humidity\": -3, \"noise_level\": 250",
                "\"temperature\": 99, \"colour\": \"red\"",
                "\"temperature\": \"hot\", \"humidity\": 101",
                "\"sequence\": 0, \"co\": 501"
            })
    void findsWhatThePublishedSchemaFindsInItsWords(String fields) throws Exception {
        String reading = "{\"stationId\": \"ST-1\", \"timestamp\": \"2026-11-25T10:00:00Z\", " + fields + "}";
        JsonNode node = mapper.readTree(reading);

        // Numbers a document store cannot hold exactly are refused before any schema is looked at.
        List<FieldError> expected = MongoSafeJson.violations(node, "$");
        if (expected.isEmpty()) {
            expected = JsonSchemas.violations(published, node, "$");
        }
        List<FieldError> found = codec.readAll(
                        reading.getBytes(StandardCharsets.UTF_8), false, Instant.parse("2030-01-01T00:00:00Z"), 10)
                .get(0)
                .errors();

        assertThat(found).containsExactlyInAnyOrderElementsOf(expected);
    }

    /**
     * The timestamp is read with the parser the schema's date-time format checks with, so whatever RFC 3339 form the
     * schema lets through is read (the space separator too), keeps its offset, and is published in one canonical form
     * that reads back to the same instant.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-11-25T10:00:00Z|2026-11-25T10:00:00Z",
                "2026-11-25 10:00:00+01:00|2026-11-25T10:00:00+01:00",
                "2026-11-25t10:00:00.25z|2026-11-25T10:00:00.25Z",
                "2026-11-25T10:00:00.123456789-05:30|2026-11-25T10:00:00.123456789-05:30"
            })
    void readsTheDateTimesTheSchemaAcceptsAndPublishesThemCanonically(String sentAndPublished) {
        String sent = sentAndPublished.split("\\|")[0];
        String published = sentAndPublished.split("\\|")[1];
        SensorReadingCodec.Item item = readOne("{\"stationId\":\"ST-1\",\"timestamp\":\"" + sent + "\",\"co\":1}");

        assertThat(item.errors()).isEmpty();
        assertThat(item.reading().timestamp()).isEqualTo(OffsetDateTime.parse(published));
        String canonical = codec.write(item.reading());
        assertThat(canonical).contains("\"timestamp\":\"" + published + "\"");
        assertThat(codec.read(canonical.getBytes(StandardCharsets.UTF_8))).isEqualTo(item.reading());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-25T10:00Z", "2026-02-30T10:00:00Z", "2026-11-25T23:59:60Z", "yesterday"})
    void refusesTimestampsThatAreNotRfc3339DateTimes(String sent) {
        SensorReadingCodec.Item item = readOne("{\"stationId\":\"ST-1\",\"timestamp\":\"" + sent + "\",\"co\":1}");

        assertThat(item.reading()).isNull();
        assertThat(item.errors()).extracting(FieldError::field).contains("$.timestamp");
    }

    @Test
    void keepsTheMetricsInBoundsAndNamesEachOneOutside() {
        SensorReadingCodec.Item item = readOne(
                "{\"stationId\":\"ST-1\",\"timestamp\":\"2026-11-25T10:00:00Z\",\"co\":1,\"humidity\":101,\"so2\":-2}");

        assertThat(item.reading()).isNull();
        assertThat(item.errors()).extracting(FieldError::field).containsExactly("$.humidity", "$.so2");
    }

    private SensorReadingCodec.Item readOne(String reading) {
        return codec.readAll(reading.getBytes(StandardCharsets.UTF_8), false, Instant.MAX, 1)
                .get(0);
    }
}
