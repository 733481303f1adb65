package io.skywatch.emitters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rows of a CSV with the columns of the air-quality dataset of seed 000 (Kaggle "Air Quality and Pollution
 * Assessment": {@code Temperature, Humidity, PM2.5, PM10, NO2, SO2, CO, Proximity_to_Industrial_Areas,
 * Population_Density}, and a label column {@code Air Quality} that is not a measurement), as gateway metrics.
 *
 * <p>
 * The dataset gives NO2 and SO2 in ppb and CO in ppm; the gateway's metrics are mass concentrations (µg/m³,
 * mg/m³), which its alert thresholds (WHO guidelines) are in, so those three are converted at 25 °C and
 * 1 atm (NO2 1.88, SO2 2.62 µg/m³ per ppb, CO 1.145 mg/m³ per ppm). Columns are found by header name; others
 * are ignored, empty cells are left out of the reading.
 */
public final class AirQualityCsv {

    /** A dataset column and the gateway metric it becomes. */
    record Column(String header, String metric, double factor) {}

    static final List<Column> COLUMNS = List.of(
            new Column("Temperature", "temperature", 1),
            new Column("Humidity", "humidity", 1),
            new Column("PM2.5", "pm2_5", 1),
            new Column("PM10", "pm10", 1),
            new Column("NO2", "no2", 1.88),
            new Column("SO2", "so2", 2.62),
            new Column("CO", "co", 1.145),
            new Column("Proximity_to_Industrial_Areas", "proximity_to_industrial_areas", 1),
            new Column("Population_Density", "population_density", 1));

    private AirQualityCsv() {}

    /** The rows as metric values, in file order. */
    public static List<Map<String, Double>> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new IOException(file + " is empty");
        }
        String[] header = split(lines.get(0).replace("\uFEFF", ""));
        int[] index = new int[COLUMNS.size()];
        boolean any = false;
        for (int c = 0; c < COLUMNS.size(); c++) {
            index[c] = -1;
            for (int h = 0; h < header.length; h++) {
                if (header[h].trim().equalsIgnoreCase(COLUMNS.get(c).header())) {
                    index[c] = h;
                    any = true;
                }
            }
        }
        if (!any) {
            throw new IOException(file + " has none of the columns "
                    + COLUMNS.stream().map(Column::header).toList());
        }
        List<Map<String, Double>> rows = new ArrayList<>();
        for (int line = 1; line < lines.size(); line++) {
            if (lines.get(line).isBlank()) {
                continue;
            }
            String[] cells = split(lines.get(line));
            Map<String, Double> row = new LinkedHashMap<>();
            for (int c = 0; c < COLUMNS.size(); c++) {
                if (index[c] < 0 || index[c] >= cells.length || cells[index[c]].isBlank()) {
                    continue;
                }
                try {
                    double value = Double.parseDouble(cells[index[c]].trim())
                            * COLUMNS.get(c).factor();
                    row.put(COLUMNS.get(c).metric(), Math.round(value * 100) / 100.0);
                } catch (NumberFormatException e) {
                    throw new IOException(String.format(
                            Locale.ROOT,
                            "%s line %d: %s is not a number",
                            file,
                            line + 1,
                            COLUMNS.get(c).header()));
                }
            }
            rows.add(row);
        }
        return rows;
    }

    // The dataset has no quoted cells; a quote would mean a different file, so it is not handled.
    private static String[] split(String line) {
        return line.split(",", -1);
    }
}
