package io.skywatch.live;

import io.skywatch.alerts.Severity;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a live client wants: which streams, and optionally only some stations or channels, metrics, and alerts
 * from a minimum severity up. An empty set means "all".
 */
public record Subscription(Set<String> streams, Set<String> sources, Set<String> metrics, Severity minSeverity) {

    static final Set<String> STREAMS = Set.of(LiveMessage.ALERTS, LiveMessage.SENSORS, LiveMessage.ROCKETS);
    /** A stream defined through {@code /streams}: its closed aggregation windows are pushed. */
    private static final String RUNTIME_STREAM = "[a-z][a-z0-9-]{0,62}";

    /** Alerts only: what a client gets when it says nothing. */
    static final Subscription DEFAULT = new Subscription(Set.of(LiveMessage.ALERTS), Set.of(), Set.of(), null);

    boolean wants(LiveMessage message) {
        if (!streams.contains(message.stream())) {
            return false;
        }
        if (!sources.isEmpty() && !sources.contains(message.source())) {
            return false;
        }
        if (!metrics.isEmpty()
                && !message.metrics().isEmpty()
                && message.metrics().stream().noneMatch(metrics::contains)) {
            return false;
        }
        return minSeverity == null
                || message.severity() == null
                || message.severity().compareTo(minSeverity) >= 0;
    }

    boolean wantsAlerts() {
        return streams.contains(LiveMessage.ALERTS);
    }

    /**
     * Reads a subscription from named values (query parameters or a subscribe message): {@code streams},
     * {@code stations} / {@code channels} (both filter the source), {@code metrics}, each a comma-separated list,
     * and {@code severity}, the lowest severity of alerts to receive.
     *
     * @throws IllegalArgumentException naming the value that is wrong
     */
    static Subscription parse(Map<String, List<String>> values) {
        Set<String> streams = values(values, "streams");
        if (streams.isEmpty()) {
            streams = DEFAULT.streams();
        }
        List<String> unknown = streams.stream()
                .filter(stream -> !STREAMS.contains(stream) && !stream.matches(RUNTIME_STREAM))
                .toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("streams: unknown " + unknown + "; expected any of "
                    + STREAMS.stream().sorted().toList() + " or the name of a stream defined at run time");
        }
        Set<String> sources = new java.util.HashSet<>(values(values, "stations"));
        sources.addAll(values(values, "channels"));
        Severity severity = null;
        List<String> severities = values.getOrDefault("severity", List.of());
        if (!severities.isEmpty() && !severities.get(0).isBlank()) {
            try {
                severity = Severity.valueOf(severities.get(0).trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("severity: expected one of " + Arrays.toString(Severity.values()));
            }
        }
        return new Subscription(Set.copyOf(streams), Set.copyOf(sources), values(values, "metrics"), severity);
    }

    private static Set<String> values(Map<String, List<String>> values, String name) {
        return values.getOrDefault(name, List.of()).stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .map(String::trim)
                .filter(value -> !value.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }
}
