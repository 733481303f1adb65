package io.skywatch.embedded;

import io.skywatch.emitters.DemoEmitters;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs Skywatch on one machine without Docker: an embedded Kafka broker and MongoDB wire server in this JVM,
 * and the packaged gateway as a child process. Started by {@code ./mvnw package -Prun}.
 *
 * <p>
 * Environment variables (all optional):
 * <ul>
 * <li>{@code SKYWATCH_DATA_DIR} (default {@code ./data}): embedded data; {@code kafka/} and {@code mongo/}
 * beneath it survive a restart.</li>
 * <li>{@code SKYWATCH_KAFKA_PORT} (9092): embedded broker client port.</li>
 * <li>{@code SKYWATCH_KAFKA_CONTROLLER_PORT} (9093): embedded broker KRaft controller port.</li>
 * <li>{@code SKYWATCH_MONGO_PORT} (27017): embedded MongoDB port.</li>
 * <li>{@code SKYWATCH_MONGO_BACKEND} ({@code h2}): {@code h2} keeps documents in
 * {@code <data dir>/mongo/skywatch.mv}; {@code memory} loses them on stop but is several times faster.</li>
 * <li>{@code QUARKUS_HTTP_PORT} (8080): the gateway's HTTP port; checked free and passed on to the gateway.</li>
 * <li>{@code QUARKUS_MANAGEMENT_PORT} (9000): the gateway's management port ({@code /q/health}, {@code /q/metrics});
 * checked free and passed on.</li>
 * <li>{@code SKYWATCH_LOG_JSON} ({@code false}): the gateway logs JSON lines, as in production, instead of text.</li>
 * <li>{@code SKYWATCH_GATEWAY_JAR} ({@code target/quarkus-app/quarkus-run.jar}): the gateway to start;
 * {@code none} runs only Kafka and MongoDB, e.g. for a gateway started from an IDE.</li>
 * <li>{@code SKYWATCH_GATEWAY_JVM_ARGS} ({@code -Xmx512m}): JVM options of the gateway, space-separated.</li>
 * <li>{@code KAFKA_BOOTSTRAP_SERVERS}: use this broker; no embedded Kafka is started.</li>
 * <li>{@code MONGODB_URI}: use this MongoDB; no embedded MongoDB is started.</li>
 * <li>{@code SKYWATCH_DEMO} ({@code false}): once the gateway is ready, feed it with the demo emitters
 * ({@link DemoEmitters}: simulated stations and rockets) until Ctrl-C.</li>
 * <li>{@code SKYWATCH_SECURITY_ENABLED} ({@code false} here, unlike production): passed on to the gateway; when
 * true, the gateway needs {@code SKYWATCH_SECURITY_ADMIN_KEY} (or a JWT key), which it inherits, and the demo
 * emitters send {@code SKYWATCH_API_KEY} or else that admin key.</li>
 * </ul>
 * The gateway gets {@code KAFKA_BOOTSTRAP_SERVERS}, {@code MONGODB_URI} and {@code QUARKUS_HTTP_PORT} in its
 * environment. Ctrl-C stops the demo emitters, then the gateway (SIGTERM, SIGKILL after 20 s), then Kafka, then MongoDB. If the
 * gateway exits by itself, the launcher stops the infrastructure and exits with the gateway's exit code.
 * Exit code 2 means a setting or port problem, reported on one line.
 */
public final class EmbeddedLauncher {

    private EmbeddedLauncher() {}

    /** Entry point; takes no arguments, only environment variables. */
    public static void main(String[] args) {
        // Before anything creates a logger: see EmbeddedLogging.
        EmbeddedLogging.useJBossLogManager();
        EmbeddedLogging.consoleOnly();
        EmbeddedLogging.quietInfrastructure();
        int exitCode;
        try {
            LauncherConfig config = LauncherConfig.from(System.getenv());
            config.checkBeforeStart();
            exitCode = run(config);
        } catch (LauncherConfig.Invalid | Ports.PortInUseException e) {
            System.err.println("skywatch: " + e.getMessage());
            exitCode = 2;
        } catch (InterruptedException e) {
            exitCode = 130;
        } catch (RuntimeException e) {
            System.err.println("skywatch: start-up failed: " + e);
            e.printStackTrace();
            exitCode = 1;
        }
        System.exit(exitCode);
    }

    private static int run(LauncherConfig config) throws InterruptedException {
        Infrastructure infra = new Infrastructure(config);
        Slot<GatewayProcess> gateway = new Slot<>(GatewayProcess::close);
        Slot<DemoEmitters> demo = new Slot<>(DemoEmitters::close);
        // Registered before anything starts, so a Ctrl-C during start-up still stops what is already up. The demo
        // emitters go first, so they do not count a stopping gateway's refusals.
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            demo.stop();
                            gateway.stop();
                            infra.close();
                        },
                        "skywatch-shutdown"));
        try {
            infra.start();
            String stops = infra.embeddedStopOrder();
            if (config.gatewayJar().isEmpty()) {
                printBanner(infra, "no gateway (SKYWATCH_GATEWAY_JAR=none)", stops);
                new CountDownLatch(1).await(); // until Ctrl-C: the hook does the rest
            }
            Map<String, String> env = Map.of(
                    "SKYWATCH_SECURITY_ENABLED",
                    Boolean.toString(config.securityEnabled()),
                    "KAFKA_BOOTSTRAP_SERVERS",
                    infra.kafkaBootstrapServers(),
                    "MONGODB_URI",
                    infra.mongoUri(),
                    "QUARKUS_HTTP_PORT",
                    Integer.toString(config.httpPort()),
                    "QUARKUS_MANAGEMENT_PORT",
                    Integer.toString(config.managementPort()),
                    "SKYWATCH_LOG_JSON",
                    Boolean.toString(config.logJson()));
            GatewayProcess started =
                    gateway.start(() -> GatewayProcess.start(config.gatewayJar().get(), config.gatewayJvmArgs(), env));
            if (started == null) {
                return 130; // Ctrl-C came first
            }
            URI http = URI.create("http://127.0.0.1:" + config.httpPort());
            URI management = URI.create("http://127.0.0.1:" + config.managementPort());
            printBanner(
                    infra,
                    http + "  (gateway pid " + started.pid() + "; dashboard at /)\n  Health   " + management
                            + "/q/health  (metrics: " + management + "/q/metrics)\n"
                            + (config.securityEnabled()
                                    ? "  Security ON: API keys (X-API-Key) and bearer tokens required"
                                    : "  Security OFF: the gateway is OPEN to anyone who reaches it"
                                            + " (SKYWATCH_SECURITY_ENABLED=true secures it)"),
                    (config.demo() ? "the demo emitters, then " : "")
                            + (stops.isEmpty() ? "the gateway" : "the gateway, then " + stops));
            if (config.demo()) {
                Thread starter = new Thread(
                        () -> startDemo(
                                http,
                                management,
                                started,
                                demo,
                                config.demoApiKey().orElse(null)),
                        "skywatch-demo-start");
                starter.setDaemon(true);
                starter.start();
            }
            return started.waitFor();
        } finally {
            infra.close();
        }
    }

    /** Waits for the gateway's readiness, then starts the demo emitters (unless shutdown began meanwhile). */
    private static void startDemo(
            URI http, URI management, GatewayProcess gateway, Slot<DemoEmitters> demo, String apiKey) {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        HttpRequest ready = HttpRequest.newBuilder(management.resolve("/q/health/ready"))
                .timeout(Duration.ofSeconds(5))
                .build();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        try {
            while (gateway.isAlive()) {
                try {
                    if (client.send(ready, HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200) {
                        if (demo.start(() -> DemoEmitters.start(http, apiKey, System.out)) != null) {
                            System.out.println("Demo: " + DemoEmitters.describe() + ". See " + http + "/stations, "
                                    + http + "/rockets, " + http + "/alerts");
                        }
                        return;
                    }
                } catch (java.io.IOException e) {
                    // not listening yet
                }
                if (System.nanoTime() > deadline) {
                    System.err.println("skywatch: the gateway did not become ready within 3 min; no demo emitters.");
                    return;
                }
                Thread.sleep(500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void printBanner(Infrastructure infra, String http, String stopped) {
        System.out.println();
        System.out.println("Skywatch (embedded infrastructure)");
        System.out.println("  Kafka    " + infra.describeKafka());
        System.out.println("  MongoDB  " + infra.describeMongo());
        System.out.println("  HTTP     " + http);
        System.out.println(stopped.isEmpty() ? "  Ctrl-C exits." : "  Ctrl-C stops " + stopped + ".");
        System.out.println();
    }

    /**
     * Closes the gap between starting something (the gateway, the demo emitters) and the shutdown hook seeing it:
     * nothing is left running after Ctrl-C.
     */
    private static final class Slot<T> {

        private final Consumer<T> closer;
        private T running;
        private boolean stopping;

        Slot(Consumer<T> closer) {
            this.closer = closer;
        }

        /** Starts it unless shutdown has begun; returns null in that case. */
        synchronized T start(Supplier<T> starter) {
            if (!stopping) {
                running = starter.get();
            }
            return running;
        }

        /** Stops it if it was started, and prevents a later start. */
        void stop() {
            T toStop;
            synchronized (this) {
                stopping = true;
                toStop = running;
            }
            if (toStop != null) {
                closer.accept(toStop);
            }
        }
    }
}
