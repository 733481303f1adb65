package io.skywatch.emitters;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations the way people type them on a command line: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}. */
final class Durations {

    private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    private Durations() {}

    /** A number alone is seconds; ISO-8601 ({@code PT5S}) is accepted too. */
    static Duration parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.startsWith("pt")) {
            return Duration.parse(value.toUpperCase(Locale.ROOT));
        }
        Matcher m = SIMPLE.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (e.g. 500ms, 5s, 2m, 1h)");
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis = switch (unit) {
            case "ms" -> amount;
            case "m" -> amount * 60_000;
            case "h" -> amount * 3_600_000;
            default -> amount * 1000;
        };
        return Duration.ofMillis(Math.round(millis));
    }
}
