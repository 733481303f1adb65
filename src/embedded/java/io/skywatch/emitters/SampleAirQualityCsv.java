package io.skywatch.emitters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * Writes the sample CSV shipped in {@code emitters/air-quality-sample.csv}: 200 rows with the air-quality
 * dataset's columns and plausible, correlated values (a hidden pollution level drives the particulates and
 * gases, nearer industry and denser population mean more of it). Deterministic: the same file every time, which
 * {@code AirQualityCsvTest} checks.
 *
 * <p>
 * Run: {@code java -cp <test classpath> io.skywatch.emitters.SampleAirQualityCsv emitters/air-quality-sample.csv}.
 */
public final class SampleAirQualityCsv {

    /** Rows in the shipped sample. */
    public static final int ROWS = 200;

    private SampleAirQualityCsv() {}

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "emitters/air-quality-sample.csv");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, generate(ROWS, 2024), StandardCharsets.UTF_8);
        System.out.println("wrote " + ROWS + " rows to " + out);
    }

    /** The CSV text. */
    public static String generate(int rows, long seed) {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder(
                "Temperature,Humidity,PM2.5,PM10,NO2,SO2,CO,Proximity_to_Industrial_Areas,Population_Density,"
                        + "Air Quality\n");
        for (int i = 0; i < rows; i++) {
            double proximity = clamp(2.5 + random.nextDouble() * 23, 2.5, 25.8);
            double density = clamp(500 + 160 * random.nextGaussian(), 190, 960);
            // 0 (clean) .. about 1 (hazardous): near industry and in dense districts it is higher.
            double pollution = clamp(
                    0.25
                            + 0.35 * (1 - (proximity - 2.5) / 23.3)
                            + 0.2 * (density - 500) / 460
                            + 0.15 * random.nextGaussian(),
                    0,
                    1.2);
            double temperature = clamp(22 + 8 * pollution + 4 * random.nextGaussian(), 13, 45);
            double humidity = clamp(55 + 15 * pollution + 10 * random.nextGaussian(), 30, 98);
            double pm25 = clamp(Math.exp(1.5 + 3 * pollution + 0.35 * random.nextGaussian()), 0.5, 300);
            double pm10 = pm25 * (1.2 + 0.4 * random.nextDouble()) + 5 + 5 * random.nextDouble();
            double no2 = clamp(10 + 35 * pollution + 5 * random.nextGaussian(), 5, 70);
            double so2 = clamp(3 + 20 * pollution + 4 * random.nextGaussian(), 1, 45);
            double co = clamp(0.7 + 1.8 * pollution + 0.2 * random.nextGaussian(), 0.6, 3.8);
            String label =
                    pollution < 0.35 ? "Good" : pollution < 0.6 ? "Moderate" : pollution < 0.85 ? "Poor" : "Hazardous";
            csv.append(String.format(
                    Locale.ROOT,
                    "%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.2f,%.1f,%.0f,%s\n",
                    temperature,
                    humidity,
                    pm25,
                    pm10,
                    no2,
                    so2,
                    co,
                    proximity,
                    density,
                    label));
        }
        return csv.toString();
    }

    private static double clamp(double value, double min, double max) {
        return Math.max(min, Math.min(max, value));
    }
}
