package io.skywatch.security;

import io.quarkus.security.identity.SecurityIdentity;
import java.util.List;

/**
 * Who is calling, as the ingest checks need it: the quota bucket and the scope. Attached to the
 * {@link SecurityIdentity} of an API key; a bearer token or the open gateway has no scope.
 *
 * @param bucket quota bucket, e.g. {@code key:0123456789abcdef} or {@code jwt:alice}
 * @param quotaRate ingest requests per second, or null for the default
 * @param quotaBurst burst, or null for the default
 */
public record Caller(
        String bucket,
        List<String> channels,
        List<String> stations,
        List<String> streams,
        Double quotaRate,
        Integer quotaBurst,
        boolean open) {

    /** Identity attribute holding the caller. */
    static final String ATTRIBUTE = "skywatch.caller";

    static Caller of(ApiKey key) {
        return new Caller(
                "key:" + key.id, key.channels, key.stations, key.streams, key.quotaRate, key.quotaBurst, false);
    }

    static Caller unscoped(String bucket) {
        return new Caller(bucket, List.of(), List.of(), List.of(), null, null, false);
    }

    static Caller openGateway() {
        return new Caller("open", List.of(), List.of(), List.of(), null, null, true);
    }

    /** The caller of a request's identity. */
    static Caller of(SecurityIdentity identity) {
        Caller caller = identity.getAttribute(ATTRIBUTE);
        if (caller != null) {
            return caller;
        }
        return unscoped("jwt:" + identity.getPrincipal().getName());
    }

    boolean mayWriteStream(String stream) {
        return streams.isEmpty() || streams.contains(stream);
    }

    boolean mayWriteChannel(String channel) {
        return matches(channels, channel);
    }

    boolean mayWriteStation(String station) {
        return matches(stations, station);
    }

    private static boolean matches(List<String> patterns, String value) {
        if (patterns.isEmpty()) {
            return true;
        }
        for (String pattern : patterns) {
            if (pattern.endsWith("*")
                    ? value.startsWith(pattern.substring(0, pattern.length() - 1))
                    : value.equals(pattern)) {
                return true;
            }
        }
        return false;
    }
}
