package io.skywatch.emitters;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Replays an {@link AirQualityCsv} file to {@code POST /sensors/readings}, one row per request every
 * {@code interval}, row {@code i} as a reading of station {@code <prefix><i mod stations>}, timestamped when it
 * is sent. Once through the file, or round and round with {@code loop} until the count or duration is reached.
 */
public final class CsvReplayEmitter {

    /**
     * @param interval between rows (zero: as fast as the gateway takes them)
     * @param maxRows 0 for no limit other than the file (or, looping, the duration)
     */
    public record Settings(
            URI url,
            Path file,
            int stations,
            String prefix,
            Duration interval,
            boolean loop,
            long maxRows,
            Duration duration,
            int concurrency,
            Duration giveUpAfter,
            String apiKey) {

        /** Without an API key: for an open gateway. */
        public Settings(
                URI url,
                Path file,
                int stations,
                String prefix,
                Duration interval,
                boolean loop,
                long maxRows,
                Duration duration,
                int concurrency,
                Duration giveUpAfter) {
            this(url, file, stations, prefix, interval, loop, maxRows, duration, concurrency, giveUpAfter, null);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Settings settings;
    private final Progress progress;
    private final Clock clock;

    public CsvReplayEmitter(Settings settings, Progress progress, Clock clock) {
        this.settings = settings;
        this.progress = progress;
        this.clock = clock;
    }

    public Progress.Snapshot run() throws IOException, InterruptedException {
        List<Map<String, Double>> rows = AirQualityCsv.read(settings.file());
        if (rows.isEmpty()) {
            throw new IOException(settings.file() + " has no rows");
        }
        long limit = settings.loop()
                ? settings.maxRows()
                : settings.maxRows() > 0 ? Math.min(settings.maxRows(), rows.size()) : rows.size();
        double perSecond =
                settings.interval().isZero() ? 0 : 1e9 / settings.interval().toNanos();
        Pacer pacer = new Pacer(perSecond, limit, settings.duration());
        StationClock clock = new StationClock(this.clock, settings.stations());
        try (HttpSender sender = new HttpSender(
                settings.url(), settings.concurrency(), settings.giveUpAfter(), progress, settings.apiKey())) {
            long row = 0;
            while (pacer.next(1) > 0) {
                int station = (int) (row % settings.stations());
                ObjectNode reading = JSON.createObjectNode()
                        .put("stationId", stationId(settings.prefix(), station))
                        .put("timestamp", clock.next(station).toString());
                rows.get((int) (row % rows.size())).forEach(reading::put);
                sender.awaitCapacity();
                sender.send(HttpSender.Request.json("/sensors/readings", reading.toString(), 1));
                row++;
            }
            sender.awaitIdle(settings.giveUpAfter().plusSeconds(5));
        }
        return progress.snapshot();
    }

    public static String stationId(String prefix, int index) {
        return prefix + String.format("%03d", index + 1);
    }
}
