package io.skywatch.emitters;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./emit}: the emitters on the command line. Every subcommand sends over keep-alive HTTP with bounded
 * concurrency, prints a progress line to stderr every few seconds and a summary at the end, stops by itself
 * (count or duration), and exits 1 if the gateway refused anything the emitter did not build to be refused, or
 * something was given up; 2 on a usage error.
 */
@Command(
        name = "emit",
        mixinStandardHelpOptions = true,
        description = "Event emitters for the Skywatch gateway.",
        subcommands = {
            EmitCli.Stations.class,
            EmitCli.Csv.class,
            EmitCli.Rockets.class,
            EmitCli.Logins.class,
            EmitCli.Cows.class
        })
public final class EmitCli {

    private static final PrintStream ERR = System.err;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with its converters; tests run subcommands through this too. */
    public static CommandLine commandLine() {
        return new CommandLine(new EmitCli())
                .registerConverter(Duration.class, Durations::parse)
                .setCaseInsensitiveEnumValuesAllowed(true);
    }

    /** Options every emitter has. */
    static final class Common {

        @Option(
                names = "--url",
                defaultValue = "http://127.0.0.1:8080",
                description = "Gateway base URL (${DEFAULT-VALUE}).")
        URI url;

        @Option(
                names = "--api-key",
                defaultValue = "${env:SKYWATCH_API_KEY}",
                description = "API key sent in X-API-Key (default: the environment variable SKYWATCH_API_KEY; none:"
                        + " the gateway must be open). An emitter key ingests; --verify and stream definition need"
                        + " a key with the viewer or admin role.")
        String apiKey;

        @Option(
                names = "--concurrency",
                defaultValue = "8",
                description = "Requests in flight at most (${DEFAULT-VALUE}).")
        int concurrency;

        @Option(
                names = "--seed",
                defaultValue = "1",
                description = "Random seed: same seed, same data (${DEFAULT-VALUE}).")
        long seed;

        @Option(
                names = "--progress-every",
                defaultValue = "5s",
                description = "Progress line interval; 0 for none (${DEFAULT-VALUE}).")
        Duration progressEvery;

        @Option(
                names = "--give-up-after",
                defaultValue = "2m",
                description = "Stop retrying a request after this long, and count it as failed (${DEFAULT-VALUE}).")
        Duration giveUpAfter;

        Progress progress(String name) {
            return Progress.printing(name, ERR, progressEvery.toMillis());
        }
    }

    /** Options of the emitters that run for a count or a duration. */
    static final class Bounds {

        @Option(names = "--count", defaultValue = "0", description = "Stop after this many events (0: no count).")
        long count;

        @Option(names = "--duration", description = "Stop after this long (default 60s when no --count is given).")
        Duration duration;

        Duration effectiveDuration() {
            return duration != null ? duration : count > 0 ? null : Duration.ofSeconds(60);
        }
    }

    static int finish(Progress progress, int exitCode) {
        progress.close();
        ERR.println(progress.summary());
        return progress.snapshot().ok() ? exitCode : 1;
    }

    static String randomRunId() {
        byte[] bytes = new byte[3];
        new SecureRandom().nextBytes(bytes);
        return "r" + HexFormat.of().formatHex(bytes);
    }

    @Command(
            name = "stations",
            mixinStandardHelpOptions = true,
            description = "Seed-001 station simulator: POST /sensors/readings in batches.")
    static final class Stations implements Callable<Integer> {

        @Mixin
        Common common;

        @Mixin
        Bounds bounds;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--stations", defaultValue = "10", description = "Stations (${DEFAULT-VALUE}).")
        int stations;

        @Option(names = "--prefix", defaultValue = "st-", description = "Station id prefix (${DEFAULT-VALUE}).")
        String prefix;

        @Option(
                names = "--rate",
                defaultValue = "100",
                description = "Readings per second, all stations (${DEFAULT-VALUE}; 0: as fast as possible).")
        double rate;

        @Option(names = "--batch-size", defaultValue = "50", description = "Readings per request (${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--ndjson", description = "Send application/x-ndjson instead of a JSON array.")
        boolean ndjson;

        @Option(
                names = "--outlier-rate",
                defaultValue = "0.001",
                description = "Share of readings with one metric 8 sigma off (${DEFAULT-VALUE}).")
        double outlierRate;

        @Option(
                names = "--breach-rate",
                defaultValue = "0",
                description = "Per reading, chance a station starts breaching an alert threshold (${DEFAULT-VALUE}).")
        double breachRate;

        @Option(
                names = "--breach-length",
                defaultValue = "5",
                description = "Readings a breach lasts (${DEFAULT-VALUE}).")
        int breachLength;

        @Override
        public Integer call() throws Exception {
            if (rate > 1000.0 * stations) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--rate is at most 1000 per station (timestamps are milliseconds)");
            }
            Progress progress = common.progress("stations");
            StationsEmitter emitter = new StationsEmitter(
                    new StationsEmitter.Settings(
                            common.url,
                            stations,
                            prefix,
                            rate,
                            batchSize,
                            bounds.count,
                            bounds.effectiveDuration(),
                            common.seed,
                            new Injection(outlierRate, breachRate, breachLength),
                            common.concurrency,
                            ndjson,
                            common.giveUpAfter,
                            common.apiKey),
                    progress);
            emitter.run();
            ERR.printf(
                    "[stations] %d stations; injected: %d readings with an outlier, %d breach readings%n",
                    stations, emitter.outliers(), emitter.breachReadings());
            return finish(progress, 0);
        }
    }

    @Command(
            name = "csv",
            mixinStandardHelpOptions = true,
            description = "Replays an air-quality CSV (seed 000 columns) row by row to POST /sensors/readings.")
    static final class Csv implements Callable<Integer> {

        @Mixin
        Common common;

        @Option(
                names = "--file",
                defaultValue = "emitters/air-quality-sample.csv",
                description = "CSV file (${DEFAULT-VALUE}).")
        Path file;

        @Option(
                names = "--stations",
                defaultValue = "5",
                description = "Stations the rows are spread over (${DEFAULT-VALUE}).")
        int stations;

        @Option(names = "--prefix", defaultValue = "csv-", description = "Station id prefix (${DEFAULT-VALUE}).")
        String prefix;

        @Option(
                names = "--interval",
                defaultValue = "1s",
                description = "Time between rows (${DEFAULT-VALUE}; 0: as fast as possible).")
        Duration interval;

        @Option(names = "--loop", description = "Start again at the end of the file (until --count or --duration).")
        boolean loop;

        @Option(
                names = "--count",
                defaultValue = "0",
                description = "Stop after this many rows (0: the file, or with --loop no count).")
        long count;

        @Option(names = "--duration", description = "Stop after this long (with --loop: default 60s when no --count).")
        Duration duration;

        @Override
        public Integer call() throws Exception {
            Path csv = file;
            if (!csv.isAbsolute() && !Files.exists(csv)) {
                // ./emit may be run from anywhere; the default sample lives in the repository.
                csv = Path.of(System.getProperty("skywatch.emit.home", ".")).resolve(csv);
            }
            Duration bound = duration != null ? duration : loop && count == 0 ? Duration.ofSeconds(60) : null;
            Progress progress = common.progress("csv");
            new CsvReplayEmitter(
                            new CsvReplayEmitter.Settings(
                                    common.url,
                                    csv,
                                    stations,
                                    prefix,
                                    interval,
                                    loop,
                                    count,
                                    bound,
                                    common.concurrency,
                                    common.giveUpAfter,
                                    common.apiKey),
                            progress,
                            Clock.systemUTC())
                    .run();
            return finish(progress, 0);
        }
    }

    @Command(
            name = "rockets",
            mixinStandardHelpOptions = true,
            description = {
                "Rockets emitter: POST /messages per channel, then prints the expected end state (JSON) to stdout.",
                "Compare it with GET /rockets, or let --verify do it."
            })
    static final class Rockets implements Callable<Integer> {

        @Mixin
        Common common;

        @Option(names = "--channels", defaultValue = "10", description = "Rockets (${DEFAULT-VALUE}).")
        int channels;

        @Option(
                names = "--messages",
                defaultValue = "100",
                description = "Messages per rocket; one that explodes stops there (${DEFAULT-VALUE}).")
        int messages;

        @Option(
                names = "--message-delay",
                defaultValue = "0ms",
                description = "Pause between a rocket's messages (${DEFAULT-VALUE}).")
        Duration messageDelay;

        @Option(
                names = "--duplicate-rate",
                defaultValue = "0",
                description = "Share of messages sent twice (${DEFAULT-VALUE}).")
        double duplicateRate;

        @Option(
                names = "--reorder-window",
                defaultValue = "1",
                description =
                        "Shuffle each rocket's messages within windows of this many (${DEFAULT-VALUE}: in order).")
        int reorderWindow;

        @Option(
                names = "--explosion-rate",
                defaultValue = "0.2",
                description = "Share of rockets that explode (${DEFAULT-VALUE}).")
        double explosionRate;

        @Option(names = "--run-id", description = "Channel id prefix (default: random, so runs do not collide).")
        String runId;

        @Option(names = "--expected-out", description = "Write the expected state to this file instead of stdout.")
        Path expectedOut;

        @Option(
                names = "--verify",
                description = "Afterwards, wait until GET /rockets/{channel} equals the expected state.")
        boolean verify;

        @Option(
                names = "--verify-timeout",
                defaultValue = "60s",
                description = "How long --verify waits (${DEFAULT-VALUE}).")
        Duration verifyTimeout;

        @Override
        public Integer call() throws Exception {
            String run = runId != null ? runId : randomRunId();
            Progress progress = common.progress("rockets");
            ERR.printf(
                    "[rockets] %d channels %s-0001 … %s, %d messages each at most%n",
                    channels, run, RocketsEmitter.channel(run, channels - 1), messages);
            RocketsEmitter.Result result = new RocketsEmitter(
                            new RocketsEmitter.Settings(
                                    common.url,
                                    channels,
                                    messages,
                                    common.concurrency,
                                    messageDelay,
                                    duplicateRate,
                                    reorderWindow,
                                    explosionRate,
                                    common.seed,
                                    run,
                                    common.giveUpAfter,
                                    false,
                                    common.apiKey),
                            progress)
                    .run();
            String expected = RocketsEmitter.expectedStateJson(result.expected());
            if (expectedOut != null) {
                Files.writeString(expectedOut, expected + "\n", StandardCharsets.UTF_8);
                ERR.println("[rockets] expected state written to " + expectedOut);
            } else {
                System.out.println(expected);
            }
            int exit = finish(progress, 0);
            if (verify) {
                List<String> differences =
                        RocketsCheck.awaitMatch(common.url, result.expected(), verifyTimeout, common.apiKey);
                if (differences.isEmpty()) {
                    ERR.printf(
                            "[rockets] verified: GET /rockets/{channel} equals the expected state for all %d rockets%n",
                            result.expected().size());
                } else {
                    ERR.printf(
                            "[rockets] %d of %d rockets differ after %s:%n",
                            differences.size(), result.expected().size(), verifyTimeout);
                    differences.stream().limit(20).forEach(d -> ERR.println("  " + d));
                    exit = 1;
                }
            }
            return exit;
        }
    }

    /** Options of the two run-time stream generators. */
    static final class StreamOptions {

        @Option(names = "--stream", description = "Stream name (default: the generator's, logins or cows).")
        String stream;

        @Option(
                names = "--rate",
                defaultValue = "50",
                description = "Events per second (${DEFAULT-VALUE}; 0: as fast as possible).")
        double rate;

        @Option(names = "--batch-size", defaultValue = "25", description = "Events per request (${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--no-define", negatable = false, description = "Do not define the stream if it is missing.")
        boolean noDefine;

        @Option(
                names = "--print-definition",
                description = "Print the stream definition (POST /streams body) and exit.")
        boolean printDefinition;
    }

    static int runStream(String name, Common common, Bounds bounds, StreamOptions options, StreamEvents events)
            throws IOException, InterruptedException {
        String stream = options.stream != null ? options.stream : events.defaultStream();
        if (options.printDefinition) {
            System.out.println(events.definition(stream));
            return 0;
        }
        StreamEventsEmitter emitter = new StreamEventsEmitter(
                new StreamEventsEmitter.Settings(
                        common.url,
                        stream,
                        options.rate,
                        options.batchSize,
                        bounds.count,
                        bounds.effectiveDuration(),
                        common.concurrency,
                        !options.noDefine,
                        common.giveUpAfter,
                        common.apiKey),
                events,
                common.progress(name));
        ERR.println("[" + name + "] " + emitter.ensureStream());
        Progress.Snapshot totals = emitter.run();
        ERR.printf(
                "[%s] built to be refused %d, to be filtered %d (gateway: rejected %d, filtered %d)%n",
                name, emitter.expectedRejected(), emitter.expectedFiltered(), totals.rejected(), totals.filtered());
        return finish(emitter.progress(), 0);
    }

    @Command(
            name = "logins",
            mixinStandardHelpOptions = true,
            description = "Seed-004 login events to POST /streams/{stream}/events (defines the stream if missing).")
    static final class Logins implements Callable<Integer> {

        @Mixin
        Common common;

        @Mixin
        Bounds bounds;

        @Mixin
        StreamOptions options;

        @Option(names = "--users", defaultValue = "1000", description = "Distinct users (${DEFAULT-VALUE}).")
        int users;

        @Option(
                names = "--invalid-rate",
                defaultValue = "0.05",
                description = "Share of events built to be filtered or refused (${DEFAULT-VALUE}).")
        double invalidRate;

        @Override
        public Integer call() throws Exception {
            return runStream("logins", common, bounds, options, new LoginEvents(common.seed, users, invalidRate));
        }
    }

    @Command(
            name = "cows",
            mixinStandardHelpOptions = true,
            description =
                    "Cow measurements (seed 002) to POST /streams/{stream}/events (defines the stream if missing).")
    static final class Cows implements Callable<Integer> {

        @Mixin
        Common common;

        @Mixin
        Bounds bounds;

        @Mixin
        StreamOptions options;

        @Option(names = "--cows", defaultValue = "20", description = "Cows (${DEFAULT-VALUE}).")
        int cows;

        @Option(
                names = "--invalid-rate",
                defaultValue = "0.02",
                description = "Share of measurements built to be refused (${DEFAULT-VALUE}).")
        double invalidRate;

        @Option(names = "--run-id", description = "Cow id prefix (default: random; numbers restart at 1 each run).")
        String runId;

        @Override
        public Integer call() throws Exception {
            String run = runId != null ? runId : randomRunId();
            return runStream("cows", common, bounds, options, new CowMeasurements(common.seed, run, cows, invalidRate));
        }
    }
}
