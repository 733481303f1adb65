package io.skywatch.embedded;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
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
 * <li>{@code SKYWATCH_GATEWAY_JAR} ({@code target/quarkus-app/quarkus-run.jar}): the gateway to start;
 * {@code none} runs only Kafka and MongoDB, e.g. for a gateway started from an IDE.</li>
 * <li>{@code SKYWATCH_GATEWAY_JVM_ARGS} ({@code -Xmx512m}): JVM options of the gateway, space-separated.</li>
 * <li>{@code KAFKA_BOOTSTRAP_SERVERS}: use this broker; no embedded Kafka is started.</li>
 * <li>{@code MONGODB_URI}: use this MongoDB; no embedded MongoDB is started.</li>
 * </ul>
 * The gateway gets {@code KAFKA_BOOTSTRAP_SERVERS}, {@code MONGODB_URI} and {@code QUARKUS_HTTP_PORT} in its
 * environment. Ctrl-C stops the gateway first (SIGTERM, SIGKILL after 20 s), then Kafka, then MongoDB. If the
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
        GatewaySlot gateway = new GatewaySlot();
        // Registered before anything starts, so a Ctrl-C during start-up still stops what is already up.
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
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
                    "KAFKA_BOOTSTRAP_SERVERS",
                    infra.kafkaBootstrapServers(),
                    "MONGODB_URI",
                    infra.mongoUri(),
                    "QUARKUS_HTTP_PORT",
                    Integer.toString(config.httpPort()));
            GatewayProcess started =
                    gateway.start(() -> GatewayProcess.start(config.gatewayJar().get(), config.gatewayJvmArgs(), env));
            if (started == null) {
                return 130; // Ctrl-C came first
            }
            printBanner(
                    infra,
                    "http://127.0.0.1:" + config.httpPort() + "  (gateway pid " + started.pid() + ")",
                    stops.isEmpty() ? "the gateway" : "the gateway, then " + stops);
            return started.waitFor();
        } finally {
            infra.close();
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

    /** Closes the gap between starting the gateway and the shutdown hook seeing it: no orphaned gateway. */
    private static final class GatewaySlot {

        private GatewayProcess process;
        private boolean stopping;

        /** Starts the gateway unless shutdown has begun; returns null in that case. */
        synchronized GatewayProcess start(Supplier<GatewayProcess> starter) {
            if (!stopping) {
                process = starter.get();
            }
            return process;
        }

        /** Stops the gateway if it was started, and prevents a later start. */
        void stop() {
            GatewayProcess toStop;
            synchronized (this) {
                stopping = true;
                toStop = process;
            }
            if (toStop != null) {
                toStop.close();
            }
        }
    }
}
