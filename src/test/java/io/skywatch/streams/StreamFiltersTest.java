package io.skywatch.streams;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamFiltersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static StreamDefinition.Filter filter(String field, FilterOperator op, Object value) {
        StreamDefinition.Filter filter = new StreamDefinition.Filter();
        filter.name = op.name();
        filter.field = field;
        filter.op = op;
        filter.valueJson = value == null ? null : JSON.valueToTree(value).toString();
        filter.action = StreamDefinition.FilterAction.DROP;
        return filter;
    }

    private static JsonNode event(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void comparesByTypeAndNeverMatchesAMissingFieldExceptWithMissing() throws Exception {
        JsonNode login = event("{\"device_type\":\"android\",\"attempts\":3,\"meta\":{\"beta\":true}}");

        assertThat(StreamFilters.matches(
                        filter("device_type", FilterOperator.EQ, "android"), login.path("device_type")))
                .isTrue();
        assertThat(StreamFilters.matches(
                        filter("device_type", FilterOperator.NOT_IN, List.of("android", "iOS")),
                        login.path("device_type")))
                .isFalse();
        assertThat(StreamFilters.matches(filter("attempts", FilterOperator.GTE, 3), login.path("attempts")))
                .isTrue();
        assertThat(StreamFilters.matches(filter("attempts", FilterOperator.LT, "9"), login.path("attempts")))
                .as("a number is not ordered against text")
                .isFalse();
        assertThat(StreamFilters.matches(filter("attempts", FilterOperator.EQ, 3.0), login.path("attempts")))
                .isTrue();
        assertThat(StreamFilters.matches(
                        filter("/meta/beta", FilterOperator.EQ, true), EventFields.get(login, "/meta/beta")))
                .isTrue();
        assertThat(StreamFilters.matches(filter("locale", FilterOperator.NE, "RU"), login.path("locale")))
                .as("absent fields match nothing but missing")
                .isFalse();
        assertThat(StreamFilters.matches(filter("locale", FilterOperator.MISSING, null), login.path("locale")))
                .isTrue();
    }

    @Test
    void versionsCompareNumericallyPartByPart() {
        assertThat(StreamFilters.compareVersions("2.10.0", "2.9")).isPositive();
        assertThat(StreamFilters.compareVersions("1.9.9", "2.0.0")).isNegative();
        assertThat(StreamFilters.compareVersions("2.0", "2.0.0")).isZero();
        assertThat(StreamFilters.compareVersions("2.3.0-beta", "2.3.0")).isZero();
    }

    @Test
    void firstMatchingFilterDecides() throws Exception {
        JsonNode old = event("{\"app_version\":\"1.2.0\",\"device_type\":\"windows\"}");
        StreamDefinition.Filter device = filter("device_type", FilterOperator.NOT_IN, List.of("android", "iOS"));
        StreamDefinition.Filter version = filter("app_version", FilterOperator.VERSION_BELOW, "2.0.0");

        assertThat(StreamFilters.firstMatch(List.of(version, device), old)).isSameAs(version);
        assertThat(StreamFilters.firstMatch(List.of(device, version), old)).isSameAs(device);
        assertThat(StreamFilters.firstMatch(
                        List.of(device, version), event("{\"app_version\":\"2.1\",\"device_type\":\"iOS\"}")))
                .isNull();
    }
}
