package io.skywatch.observability;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;

/**
 * Histogram buckets (service-level objectives) for the timers an operator alerts on, so Prometheus can compute
 * percentiles and SLO ratios across replicas ({@code histogram_quantile} over {@code _bucket}). Fixed buckets
 * rather than percentile histograms keep the series count small.
 */
public class MetricsConfiguration {

    private static final Map<String, Duration[]> BUCKETS = Map.of(
            "http.server.requests",
            millis(5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 15000),
            PipelineMetrics.PRODUCE,
            millis(2, 5, 10, 25, 50, 100, 250, 500, 1000, 5000, 15000),
            PipelineMetrics.STORE_BATCH,
            millis(5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000),
            PipelineMetrics.END_TO_END,
            millis(25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000));

    private static final double[] BATCH_SIZES = {1, 10, 50, 100, 250, 500, 1000, 2000};

    @Produces
    @Singleton
    public MeterFilter serviceLevelObjectives() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                Duration[] buckets = BUCKETS.get(id.getName());
                if (buckets != null) {
                    return DistributionStatisticConfig.builder()
                            .serviceLevelObjectives(toNanos(buckets))
                            .build()
                            .merge(config);
                }
                if (id.getName().equals(PipelineMetrics.STORE_BATCH_SIZE)) {
                    return DistributionStatisticConfig.builder()
                            .serviceLevelObjectives(BATCH_SIZES)
                            .build()
                            .merge(config);
                }
                return config;
            }
        };
    }

    /**
     * Some binders describe meters with double quotes (e.g. {@code system.cpu.usage}: The "recent cpu usage"…),
     * which the exposition writes as {@code \"} in a HELP line; Prometheus's text parser accepts only {@code \\}
     * and {@code \n} there and fails the whole scrape ({@code promtool check metrics} shows it).
     */
    @Produces
    @Singleton
    public MeterFilter prometheusSafeDescriptions() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                String description = id.getDescription();
                if (description == null || description.indexOf('"') < 0) {
                    return id;
                }
                return new Meter.Id(
                        id.getName(),
                        Tags.of(id.getTagsAsIterable()),
                        id.getBaseUnit(),
                        description.replace('"', '\''),
                        id.getType());
            }
        };
    }

    /**
     * Vert.x's HTTP server meters carry a {@code server.port} tag only for a server bound to a fixed port. With the
     * management interface on a random port (tests) or the main one (QUARKUS_HTTP_PORT=0), one server's meters
     * have the tag and the other's do not; the Prometheus registry refuses the second set (same name, other tag
     * keys), and that refusal, thrown while the server binds, keeps the HTTP server from starting. The port is no
     * useful dimension: management requests are told apart by their {@code uri}.
     */
    @Produces
    @Singleton
    public MeterFilter noServerPortTag() {
        return MeterFilter.ignoreTags("server.port");
    }

    private static Duration[] millis(long... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofMillis(values[i]);
        }
        return durations;
    }

    private static double[] toNanos(Duration[] durations) {
        double[] nanos = new double[durations.length];
        for (int i = 0; i < durations.length; i++) {
            nanos[i] = durations[i].toNanos();
        }
        return nanos;
    }
}
