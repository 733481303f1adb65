package io.skywatch.emitters;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * N simulated stations (seed 001's {@link StationSimulator} each) taking turns, with {@link Injection}s on top.
 * Everything drawn comes from the seed: the same seed gives the same values, injections included; only the
 * timestamps come from the clock.
 */
public final class StationFleet {

    /** Why a reading differs from its station's underlying series. */
    public enum Injected {
        NONE,
        OUTLIER,
        BREACH
    }

    /**
     * One reading.
     *
     * @param injected what was injected into it, and into which metric ({@code injectedMetric}, null for none)
     */
    public record Reading(
            String stationId,
            Instant timestamp,
            Map<String, Double> metrics,
            Map<String, Double> underlying,
            Injected injected,
            String injectedMetric) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String prefix;
    private final List<StationSimulator> simulators = new ArrayList<>();
    private final List<Random> injectionRandoms = new ArrayList<>();
    private final Injection injection;
    private final StationClock clock;
    private final Injection.Breach[] breaching;
    private final int[] breachLeft;
    private final List<StationSimulator.Distribution> outlierCandidates;
    private int turn;

    public StationFleet(int stations, String prefix, long seed, Injection injection, Clock clock) {
        if (stations < 1) {
            throw new IllegalArgumentException("at least one station");
        }
        this.prefix = prefix;
        this.injection = injection;
        this.clock = new StationClock(clock, stations);
        Random seeds = new Random(seed);
        for (int i = 0; i < stations; i++) {
            simulators.add(new StationSimulator(seeds.nextLong()));
            // Separate draws for the injections, so the normal series is the same with or without them.
            injectionRandoms.add(new Random(seeds.nextLong()));
        }
        this.breaching = new Injection.Breach[stations];
        this.breachLeft = new int[stations];
        // Clamped metrics are skewed (many zeros) and exempt from z-scores: an outlier there would prove nothing.
        this.outlierCandidates =
                StationSimulator.SEED_001.stream().filter(d -> !d.clampAtZero()).toList();
    }

    public int stations() {
        return simulators.size();
    }

    public String stationId(int index) {
        return prefix + String.format("%03d", index + 1);
    }

    /** The next station's next reading. */
    public Reading next() {
        int station = turn;
        turn = (turn + 1) % simulators.size();
        Map<String, Double> underlying = simulators.get(station).next();
        Map<String, Double> metrics = new LinkedHashMap<>(underlying);
        Random random = injectionRandoms.get(station);
        Injected injected = Injected.NONE;
        String injectedMetric = null;
        if (breachLeft[station] == 0 && injection.breachRate() > 0 && random.nextDouble() < injection.breachRate()) {
            breaching[station] = Injection.BREACHES.get(random.nextInt(Injection.BREACHES.size()));
            breachLeft[station] = injection.breachLength();
        }
        if (breachLeft[station] > 0) {
            breachLeft[station]--;
            Injection.Breach breach = breaching[station];
            metrics.put(breach.metric(), Injection.breachValue(breach, random));
            injected = Injected.BREACH;
            injectedMetric = breach.metric();
        } else if (injection.outlierRate() > 0 && random.nextDouble() < injection.outlierRate()) {
            StationSimulator.Distribution d = outlierCandidates.get(random.nextInt(outlierCandidates.size()));
            double sign = random.nextBoolean() ? 1 : -1;
            metrics.put(
                    d.metric(), Math.round((d.mean() + sign * Injection.OUTLIER_SIGMAS * d.stddev()) * 100) / 100.0);
            injected = Injected.OUTLIER;
            injectedMetric = d.metric();
        }
        return new Reading(stationId(station), clock.next(station), metrics, underlying, injected, injectedMetric);
    }

    /** The reading as {@code POST /sensors/readings} takes it. */
    public static ObjectNode toJson(Reading reading) {
        ObjectNode node = JSON.createObjectNode();
        node.put("stationId", reading.stationId());
        node.put("timestamp", reading.timestamp().toString());
        reading.metrics().forEach(node::put);
        return node;
    }
}
