package io.skywatch.sensors;

import io.quarkus.mongodb.panache.common.MongoEntity;
import io.skywatch.aggregates.StationWindows;
import io.skywatch.alerts.AlertTracker;
import io.skywatch.sequencing.SkippedRange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.bson.codecs.pojo.annotations.BsonId;

/**
 * What the stream has made of one station: its latest value per metric and, for stations that number their
 * readings, the sequencing state (last applied number, readings held back behind a gap, skipped numbers).
 * Written only through version checks, like the rockets projection.
 */
@MongoEntity(collection = StationState.COLLECTION)
public class StationState {

    public static final String COLLECTION = "station_state";

    @BsonId
    public String stationId;

    public Map<String, LatestValue> latest = new HashMap<>();
    public long lastSequence;
    public List<StoredReading> pending = new ArrayList<>();
    public Instant waitingSince;
    public List<SkippedRange> skipped = new ArrayList<>();
    public long readings;
    /** Open alerts by rule id: the alert lifecycle lives with the readings that drive it. */
    public Map<String, AlertTracker.OpenAlert> openAlerts = new HashMap<>();
    /** When each rule last cleared for this station, for the cool-down. */
    public Map<String, Instant> lastCleared = new HashMap<>();
    /** The open 1-minute and 1-hour windows. */
    public StationWindows windows = new StationWindows();
    /** The last readings of each metric, oldest first: what outliers are judged against. */
    public Map<String, List<Double>> recent = new HashMap<>();

    public long version;
    public Instant updatedAt;

    /** The latest value of a metric and when it was measured. */
    public static class LatestValue {
        public double value;
        public Instant timestamp;

        public LatestValue() {}

        LatestValue(double value, Instant timestamp) {
            this.value = value;
            this.timestamp = timestamp;
        }
    }

    static StationState newStation(String stationId) {
        StationState state = new StationState();
        state.stationId = stationId;
        return state;
    }

    NavigableMap<Long, StoredReading> pendingBySequence() {
        NavigableMap<Long, StoredReading> bySequence = new TreeMap<>();
        pending.forEach(reading -> bySequence.put(reading.sequence, reading));
        return bySequence;
    }

    /**
     * Takes a reading into the latest values. By measurement time, so it is the same whatever the order
     * readings are applied in, and applying one twice changes nothing.
     */
    void apply(StoredReading reading) {
        reading.metrics.forEach((metric, value) -> {
            LatestValue current = latest.get(metric);
            if (current == null || !reading.timestamp.isBefore(current.timestamp)) {
                latest.put(metric, new LatestValue(value, reading.timestamp));
            }
        });
    }

    StationState copy() {
        StationState copy = new StationState();
        copy.stationId = stationId;
        copy.latest = new HashMap<>(latest);
        copy.lastSequence = lastSequence;
        copy.pending = new ArrayList<>(pending);
        copy.waitingSince = waitingSince;
        copy.skipped = new ArrayList<>(skipped);
        copy.readings = readings;
        copy.openAlerts = new HashMap<>();
        openAlerts.forEach((rule, open) -> copy.openAlerts.put(rule, open.copy()));
        copy.lastCleared = new HashMap<>(lastCleared);
        copy.windows = windows == null ? new StationWindows() : windows.copy();
        copy.recent = new HashMap<>();
        recent.forEach((metric, values) -> copy.recent.put(metric, new ArrayList<>(values)));
        copy.version = version;
        copy.updatedAt = updatedAt;
        return copy;
    }
}
