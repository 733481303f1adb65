package io.skywatch.observability;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Just enough of the Prometheus text format to read values in tests: {@code name{labels} value} per line. */
final class PrometheusText {

    private PrometheusText() {}

    /** Every sample line, keyed by its series ({@code name{labels}}), with its value. */
    static Map<String, Double> parse(String exposition) {
        Map<String, Double> series = new LinkedHashMap<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int split = line.lastIndexOf(' ');
            series.put(line.substring(0, split), Double.parseDouble(line.substring(split + 1)));
        }
        return series;
    }

    /** The sum of the series of this metric that carry every one of these labels; fails if there is none. */
    static double value(Map<String, Double> series, String metric, String... labels) {
        List<Double> matches = series.entrySet().stream()
                .filter(entry -> nameOf(entry.getKey()).equals(metric))
                .filter(entry -> List.of(labels).stream()
                        .allMatch(label -> entry.getKey().contains(label)))
                .map(Map.Entry::getValue)
                .toList();
        if (matches.isEmpty()) {
            throw new AssertionError("no series " + metric + " with " + List.of(labels));
        }
        return matches.stream().mapToDouble(Double::doubleValue).sum();
    }

    static Set<String> familyNames(Set<String> seriesKeys) {
        Set<String> names = new TreeSet<>();
        seriesKeys.forEach(key -> names.add(nameOf(key)));
        return names;
    }

    private static String nameOf(String seriesKey) {
        int brace = seriesKey.indexOf('{');
        return brace < 0 ? seriesKey : seriesKey.substring(0, brace);
    }
}
