package io.skywatch.emitters;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Demo mode ({@code SKYWATCH_DEMO=true ./mvnw package -Prun}): the station simulator and the Rockets emitter
 * feeding the gateway in-process at a gentle, steady rate until the launcher stops them, so a new user sees
 * live readings, rockets and alerts straight away. Twelve stations send a reading every 2 s, now and then one
 * breaches a default alert rule for 10 s (raised, then cleared); four rockets send a message every 1.5 s,
 * with a few duplicates and swaps, and a rocket that is done (or exploded) is followed by a new one.
 */
public final class DemoEmitters implements AutoCloseable {

    static final int STATIONS = 12;
    private static final String[] DISTRICTS = {"Harbour", "Old Town", "Northgate", "Riverside"};
    static final Duration STATION_INTERVAL = Duration.ofSeconds(2);
    static final int ROCKETS = 4;
    static final Duration ROCKET_MESSAGE_DELAY = Duration.ofMillis(1500);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(60);
    private static final Duration GIVE_UP_AFTER = Duration.ofMinutes(1);

    private final StationsEmitter stations;
    private final RocketsEmitter rockets;
    private final List<Thread> threads;
    private final List<Progress> progress;
    private final PrintStream out;

    private DemoEmitters(URI gateway, String apiKey, PrintStream out) {
        this.out = out;
        Progress stationProgress = Progress.printing("demo stations", out, PROGRESS_EVERY.toMillis());
        Progress rocketProgress = Progress.printing("demo rockets", out, PROGRESS_EVERY.toMillis());
        this.progress = List.of(stationProgress, rocketProgress);
        this.stations = new StationsEmitter(
                new StationsEmitter.Settings(
                        gateway,
                        STATIONS,
                        "demo-st-",
                        STATIONS * 1000.0 / STATION_INTERVAL.toMillis(),
                        STATIONS,
                        0,
                        null,
                        System.currentTimeMillis(),
                        // A breach every ~8 s somewhere, 5 readings (10 s) long: alerts show up at once, and clear.
                        new Injection(0.002, 0.02, 5),
                        2,
                        false,
                        GIVE_UP_AFTER,
                        apiKey),
                stationProgress);
        this.rockets = new RocketsEmitter(
                new RocketsEmitter.Settings(
                        gateway,
                        ROCKETS,
                        60,
                        ROCKETS,
                        ROCKET_MESSAGE_DELAY,
                        0.05,
                        3,
                        0.3,
                        System.currentTimeMillis(),
                        // Channels are new every run: their numbers start at 1 again.
                        "demo-" + Long.toString(System.currentTimeMillis(), 36),
                        GIVE_UP_AFTER,
                        true,
                        apiKey),
                rocketProgress);
        this.threads = List.of(
                thread("demo-stations", () -> {
                    registerStations(gateway, apiKey);
                    return stations.run();
                }),
                thread("demo-rockets", rockets::run));
    }

    /**
     * Names the demo stations and puts them in districts, so the dashboard groups them as a city would (a station
     * registers itself on its first reading otherwise, without a district). Best effort: a failure only leaves
     * them unregistered.
     */
    private static void registerStations(URI gateway, String apiKey) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        for (int i = 1; i <= STATIONS; i++) {
            String body = "{\"id\":\"demo-st-%03d\",\"name\":\"%s %d\",\"district\":\"%s\"}"
                    .formatted(i, DISTRICTS[i % DISTRICTS.length], i, DISTRICTS[i % DISTRICTS.length]);
            HttpRequest request = HttpSender.authorize(HttpRequest.newBuilder(gateway.resolve("/stations")), apiKey)
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            try {
                client.send(request, HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                System.err.println("demo: station demo-st-" + i + " not registered: " + e);
            }
        }
    }

    /** Starts both emitters against a gateway that is ready. */
    public static DemoEmitters start(URI gateway, PrintStream out) {
        return start(gateway, null, out);
    }

    /**
     * Starts both emitters with this API key (an admin's: the demo also registers its stations); null for an open
     * gateway.
     */
    public static DemoEmitters start(URI gateway, String apiKey, PrintStream out) {
        DemoEmitters demo = new DemoEmitters(gateway, apiKey, out);
        demo.threads.forEach(Thread::start);
        return demo;
    }

    /** One line for the launcher's banner. */
    public static String describe() {
        return "%d stations (a reading every %d s, breaches now and then), %d rockets (a message every %.1f s)"
                .formatted(STATIONS, STATION_INTERVAL.toSeconds(), ROCKETS, ROCKET_MESSAGE_DELAY.toMillis() / 1000.0);
    }

    private interface Run {
        Object run() throws Exception;
    }

    private static Thread thread(String name, Run run) {
        Thread thread = new Thread(
                () -> {
                    try {
                        run.run();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (Exception e) {
                        System.err.println(name + " stopped: " + e);
                    }
                },
                name);
        thread.setDaemon(true);
        return thread;
    }

    /** Stops both emitters and waits (briefly) for requests on the wire to end. */
    @Override
    public void close() {
        stations.stop();
        rockets.stop();
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        progress.forEach(p -> {
            p.close();
            out.println(p.summary());
        });
    }
}
