package io.skywatch.sensors;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stations' districts for district-scoped alert rules, read from the registry and kept for a minute, so a
 * re-registration reaches every replica's alerting within that time without a lookup per reading.
 */
@ApplicationScoped
public class StationDistricts {

    private static final long TTL_NANOS = 60_000_000_000L;

    private record Entry(String district, long loadedAt) {}

    private final SensorStore store;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    public StationDistricts(SensorStore store) {
        this.store = store;
    }

    /** The station's district, or null when it has none (or is not registered). */
    Uni<String> of(String stationId) {
        Entry cached = cache.get(stationId);
        if (cached != null && System.nanoTime() - cached.loadedAt() < TTL_NANOS) {
            return Uni.createFrom().item(cached.district());
        }
        return store.station(stationId).map(station -> {
            String district = station == null ? null : station.district;
            cache.put(stationId, new Entry(district, System.nanoTime()));
            return district;
        });
    }

    /** Drops what this replica knows of a station, e.g. after it was registered again here. */
    void forget(String stationId) {
        cache.remove(stationId);
    }
}
