package io.skywatch.emitters;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Random;

/**
 * Cow measurements in the spirit of seed 002 (a herd's sensors, reported per milking): {@code cow_id, farm,
 * seq} (per cow from 1, so the stream reorders and deduplicates them), {@code timestamp} (ISO-8601 with offset),
 * {@code weight_kg}, {@code milk_litres}, {@code temperature_c}. Each cow has its own normal weight and yield.
 * A share {@code invalidRate} carries a negative milk yield, which the schema refuses. Cow ids carry the run id,
 * since numbering restarts at 1 with every run.
 */
public final class CowMeasurements implements StreamEvents {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] FARMS = {"north-meadow", "river-bend", "hill-top", "oak-farm"};

    private final Random random;
    private final double invalidRate;
    private final String[] ids;
    private final String[] farms;
    private final double[] weights;
    private final double[] yields;
    private final long[] sequences;
    private int turn;

    public CowMeasurements(long seed, String runId, int cows, double invalidRate) {
        this.random = new Random(seed);
        this.invalidRate = invalidRate;
        this.ids = new String[cows];
        this.farms = new String[cows];
        this.weights = new double[cows];
        this.yields = new double[cows];
        this.sequences = new long[cows];
        for (int i = 0; i < cows; i++) {
            ids[i] = "%s-cow-%03d".formatted(runId, i + 1);
            farms[i] = FARMS[i % FARMS.length];
            weights[i] = 650 + 60 * random.nextGaussian();
            yields[i] = 12 + 2.5 * random.nextGaussian();
        }
    }

    @Override
    public String defaultStream() {
        return "cows";
    }

    @Override
    public String definition(String name) {
        return """
                {"name":"%s","description":"Cow measurements per milking (seed 002)",
                 "schema":{"type":"object",
                   "required":["cow_id","farm","seq","timestamp","weight_kg","milk_litres","temperature_c"],
                   "properties":{"cow_id":{"type":"string"},"farm":{"type":"string"},
                     "seq":{"type":"integer","minimum":1},"timestamp":{"type":"string","format":"date-time"},
                     "weight_kg":{"type":"number","minimum":50,"maximum":1500},
                     "milk_litres":{"type":"number","minimum":0,"maximum":80},
                     "temperature_c":{"type":"number","minimum":30,"maximum":45}}},
                 "keyField":"cow_id","sequenceField":"seq","eventTimeField":"timestamp",
                 "aggregations":[{"name":"milk","type":"stats","field":"milk_litres","window":"1m"},
                   {"name":"measurements-by-farm","type":"count","field":"farm","window":"1m"}]}""".formatted(name);
    }

    @Override
    public Event next(Instant now) {
        int cow = turn;
        turn = (turn + 1) % ids.length;
        weights[cow] += 0.2 * random.nextGaussian(); // weight wanders slowly
        ObjectNode measurement = JSON.createObjectNode()
                .put("cow_id", ids[cow])
                .put("farm", farms[cow])
                .put("seq", sequences[cow] + 1)
                .put(
                        "timestamp",
                        DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                                now.truncatedTo(ChronoUnit.MILLIS).atOffset(ZoneOffset.UTC)))
                .put("weight_kg", round(weights[cow]))
                .put("milk_litres", round(Math.max(0, yields[cow] + 1.5 * random.nextGaussian())))
                .put("temperature_c", round(38.6 + 0.3 * random.nextGaussian()));
        if (random.nextDouble() < invalidRate) {
            // A refused measurement does not use up its number: the cow's sequence stays without gaps.
            measurement.put("milk_litres", -round(1 + random.nextDouble() * 5));
            return new Event(measurement, true, false);
        }
        sequences[cow]++;
        return new Event(measurement, false, false);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
