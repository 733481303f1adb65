package io.skywatch.sensors;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The metrics a station may report, with their units and the physically possible range: a value outside it
 * is a broken payload, not a measurement, and is rejected (a plausible but unusual value is the alerting
 * rules' business, not validation's). Names follow the seeds' air-quality dataset and station simulator.
 */
public enum SensorMetric {
    temperature("°C", -90, 60),
    humidity("%", 0, 100),
    pressure("hPa", 300, 1100),
    air_quality("AQI", 0, 500),
    particulate_matter("µg/m³", 0, 2000),
    pm2_5("µg/m³", 0, 2000),
    pm10("µg/m³", 0, 5000),
    no2("µg/m³", 0, 5000),
    so2("µg/m³", 0, 5000),
    co("mg/m³", 0, 500),
    noise_level("dB", 0, 200),
    illuminance("lx", 0, 200_000),
    wind_speed("m/s", 0, 120),
    rainfall("mm", 0, 1000),
    proximity_to_industrial_areas("km", 0, 1000),
    population_density("people/km²", 0, 100_000);

    private static final Map<String, SensorMetric> BY_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(Enum::name, Function.identity()));

    private final String unit;
    private final double min;
    private final double max;

    SensorMetric(String unit, double min, double max) {
        this.unit = unit;
        this.min = min;
        this.max = max;
    }

    public String unit() {
        return unit;
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    /** The metric of this name, or null when it is not registered. */
    public static SensorMetric byName(String name) {
        return BY_NAME.get(name);
    }
}
