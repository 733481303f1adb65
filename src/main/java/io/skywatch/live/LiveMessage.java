package io.skywatch.live;

import io.skywatch.alerts.Severity;
import java.util.Set;

/**
 * One message for live subscribers, as it goes out on the socket ({@code json}), with what subscription filters
 * look at pulled out once so a fan-out to many clients does not parse it again per client.
 *
 * @param stream {@code alerts}, {@code sensors} or {@code rockets}
 * @param source the station or rocket channel it is about
 * @param metrics the metrics it carries (readings) or is about (alerts); empty for rockets
 * @param severity the alert's severity; null for other messages
 * @param dedupeKey what makes a redelivered copy recognisable; null when a copy does no harm
 */
public record LiveMessage(
        String stream, String source, Set<String> metrics, Severity severity, String dedupeKey, String json) {

    public static final String ALERTS = "alerts";
    public static final String SENSORS = "sensors";
    public static final String ROCKETS = "rockets";
}
