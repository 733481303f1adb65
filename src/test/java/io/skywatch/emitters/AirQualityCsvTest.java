package io.skywatch.emitters;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shipped sample CSV and how rows become readings. */
class AirQualityCsvTest {

    private static final Path SAMPLE = Path.of("emitters/air-quality-sample.csv");

    @Test
    void shippedSampleIsWhatItsGeneratorWrites() throws Exception {
        assertThat(Files.readString(SAMPLE, StandardCharsets.UTF_8))
                .isEqualTo(SampleAirQualityCsv.generate(SampleAirQualityCsv.ROWS, 2024));
    }

    @Test
    void rowsBecomeMetricsWithGasesConvertedToMassConcentrations() throws Exception {
        Path file = Files.createTempFile("air", ".csv");
        Files.writeString(
                file,
                "Temperature,Humidity,PM2.5,PM10,NO2,SO2,CO,Proximity_to_Industrial_Areas,Population_Density,"
                        + "Air Quality\n29.8,59.1,5.2,17.9,18.9,9.2,1.72,6.3,319,Moderate\n28.3,75.6,,12.2,30.8,"
                        + "9.7,1.64,6,611,Moderate\n");
        List<Map<String, Double>> rows = AirQualityCsv.read(file);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "temperature", 29.8,
                        "humidity", 59.1,
                        "pm2_5", 5.2,
                        "pm10", 17.9,
                        "no2", 35.53,
                        "so2", 24.1,
                        "co", 1.97,
                        "proximity_to_industrial_areas", 6.3,
                        "population_density", 319.0));
        assertThat(rows.get(1)).doesNotContainKey("pm2_5").containsEntry("no2", 57.9);
    }

    @Test
    void sampleValuesAreInsideTheGatewaysAcceptedRanges() throws Exception {
        for (Map<String, Double> row : AirQualityCsv.read(SAMPLE)) {
            assertThat(row).hasSize(9);
            assertThat(row.get("humidity")).isBetween(0.0, 100.0);
            assertThat(row.get("temperature")).isBetween(-90.0, 60.0);
            row.forEach((metric, value) -> assertThat(value).as(metric).isNotNegative());
        }
    }
}
