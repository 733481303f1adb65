package io.skywatch.emitters;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds {@code POST /sensors/readings} from a {@link StationFleet}: batches of readings at a steady rate until
 * the count or duration is reached, or {@link #stop()} (demo mode).
 */
public final class StationsEmitter {

    /**
     * @param readingsPerSecond over all stations (0 = as fast as the gateway takes them)
     * @param maxReadings 0 for no limit
     * @param duration null for no limit
     * @param ndjson send {@code application/x-ndjson} instead of a JSON array
     */
    public record Settings(
            URI url,
            int stations,
            String prefix,
            double readingsPerSecond,
            int batchSize,
            long maxReadings,
            Duration duration,
            long seed,
            Injection injection,
            int concurrency,
            boolean ndjson,
            Duration giveUpAfter,
            String apiKey) {

        /** Without an API key: for an open gateway. */
        public Settings(
                URI url,
                int stations,
                String prefix,
                double readingsPerSecond,
                int batchSize,
                long maxReadings,
                Duration duration,
                long seed,
                Injection injection,
                int concurrency,
                boolean ndjson,
                Duration giveUpAfter) {
            this(
                    url,
                    stations,
                    prefix,
                    readingsPerSecond,
                    batchSize,
                    maxReadings,
                    duration,
                    seed,
                    injection,
                    concurrency,
                    ndjson,
                    giveUpAfter,
                    null);
        }
    }

    private final Settings settings;
    private final Progress progress;
    private final Pacer pacer;
    private final StationFleet fleet;
    private volatile HttpSender sender;
    private volatile long outliers;
    private volatile long breachReadings;

    public StationsEmitter(Settings settings, Progress progress) {
        this.settings = settings;
        this.progress = progress;
        this.pacer = new Pacer(settings.readingsPerSecond(), settings.maxReadings(), settings.duration());
        this.fleet = new StationFleet(
                settings.stations(), settings.prefix(), settings.seed(), settings.injection(), Clock.systemUTC());
    }

    /** Sends until the run is over, then waits for what is still in flight; returns the counters. */
    public Progress.Snapshot run() throws InterruptedException {
        try (HttpSender sender = new HttpSender(
                settings.url(), settings.concurrency(), settings.giveUpAfter(), progress, settings.apiKey())) {
            this.sender = sender;
            int batch;
            while ((batch = pacer.next(settings.batchSize())) > 0) {
                List<StationFleet.Reading> readings = new ArrayList<>(batch);
                for (int i = 0; i < batch; i++) {
                    StationFleet.Reading reading = fleet.next();
                    readings.add(reading);
                    if (reading.injected() == StationFleet.Injected.OUTLIER) {
                        outliers++;
                    } else if (reading.injected() == StationFleet.Injected.BREACH) {
                        breachReadings++;
                    }
                }
                sender.awaitCapacity();
                sender.send(request(readings));
            }
            sender.awaitIdle(settings.giveUpAfter().plusSeconds(5));
        }
        return progress.snapshot();
    }

    private HttpSender.Request request(List<StationFleet.Reading> readings) {
        StringBuilder body = new StringBuilder();
        if (settings.ndjson()) {
            readings.forEach(r -> body.append(StationFleet.toJson(r)).append('\n'));
        } else {
            body.append('[');
            for (int i = 0; i < readings.size(); i++) {
                body.append(i == 0 ? "" : ",").append(StationFleet.toJson(readings.get(i)));
            }
            body.append(']');
        }
        return new HttpSender.Request(
                "/sensors/readings",
                settings.ndjson() ? "application/x-ndjson" : "application/json",
                body.toString(),
                readings.size(),
                0);
    }

    /** Sends nothing more; a batch being retried is given up at its next attempt. */
    public void stop() {
        pacer.stop();
        HttpSender http = sender;
        if (http != null) {
            http.close();
        }
    }

    /** Readings sent with an injected outlier so far. */
    public long outliers() {
        return outliers;
    }

    /** Readings sent as part of a breach so far. */
    public long breachReadings() {
        return breachReadings;
    }

    public Settings settings() {
        return settings;
    }
}
