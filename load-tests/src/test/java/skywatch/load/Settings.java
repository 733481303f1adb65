package skywatch.load;

import java.time.Duration;

/** Load settings, from system properties (set by ./run or -D on the Maven command line). */
final class Settings {

    private Settings() {}

    static String baseUrl() {
        return System.getProperty("baseUrl", "http://127.0.0.1:8080");
    }

    /** API key sent in X-API-Key: -DapiKey, else the environment variable SKYWATCH_API_KEY; empty: none. */
    static String apiKey() {
        String key = System.getProperty("apiKey", "");
        if (key.isBlank()) {
            key = System.getenv().getOrDefault("SKYWATCH_API_KEY", "");
        }
        return key.trim();
    }

    /** Requests (or batches) started per second at the plateau. */
    static double rate() {
        return Double.parseDouble(System.getProperty("rate", "200"));
    }

    /** How long the plateau lasts; every simulation also stops by itself at maxDuration. */
    static Duration duration() {
        return parse(System.getProperty("duration", "30s"));
    }

    static Duration rampUp() {
        return parse(System.getProperty("rampUp", "5s"));
    }

    static int channels() {
        return Integer.parseInt(System.getProperty("channels", "400"));
    }

    static int batchSize() {
        return Integer.parseInt(System.getProperty("batchSize", "50"));
    }

    /** Assertion bound on the 99th percentile response time, in milliseconds. */
    static int p99Millis() {
        return Integer.parseInt(System.getProperty("p99Millis", "1000"));
    }

    /** Highest share of failed requests (anything but the expected 2xx), in percent. */
    static double maxErrorPercent() {
        return Double.parseDouble(System.getProperty("maxErrorPercent", "1"));
    }

    static Duration parse(String text) {
        String t = text.trim().toLowerCase();
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        if (t.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        return Duration.ofSeconds(Long.parseLong(t));
    }
}
