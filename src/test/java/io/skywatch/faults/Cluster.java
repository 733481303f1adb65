package io.skywatch.faults;

import io.skywatch.embedded.Ports;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The system under test as separate OS processes: an embedded Kafka broker, an embedded MongoDB wire server (H2,
 * persistent) and gateway processes, each started through {@code io.skywatch.embedded.EmbeddedLauncher} or the
 * packaged gateway ({@code quarkus-run.jar}, or the native executable) on free ports, with output under {@code dir}.
 */
final class Cluster implements AutoCloseable {

    static final String KAFKA_BANNER = "Skywatch (embedded infrastructure)";

    final Path dir;
    final String runId;
    final int kafkaPort = Ports.freePort();
    final int kafkaControllerPort = Ports.freePort();
    final int mongoPort = Ports.freePort();
    /** {@code quarkus-run.jar}, or the native executable when {@link #nativeGateway}. */
    private final Path gateway;

    private final boolean nativeGateway;
    private final Path classpathFile;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    /** Every process ever started, for clean-up and for the logs of a failure. */
    final List<ChildProcess> started = new CopyOnWriteArrayList<>();

    private final Map<String, Integer> starts = new LinkedHashMap<>();
    /** Each gateway's management port (health, metrics), by its HTTP port. */
    private final Map<Integer, Integer> managementPorts = new java.util.concurrent.ConcurrentHashMap<>();

    ChildProcess kafka;
    ChildProcess mongo;

    Cluster(Path dir, Path gatewayJar, String runId) {
        this(dir, gatewayJar, false, runId);
    }

    private Cluster(Path dir, Path gateway, boolean nativeGateway, String runId) {
        this.dir = dir;
        this.gateway = gateway;
        this.nativeGateway = nativeGateway;
        this.runId = runId;
        try {
            Files.createDirectories(dir);
            // The launcher's classpath can be long: hand it over in a java @argfile.
            classpathFile = dir.resolve("launcher.classpath");
            Files.writeString(classpathFile, "-cp \"" + testClasspath().replace("\\", "\\\\") + "\"\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A cluster for one integration test: its processes' logs in a directory of its own beside FaultInjectionIT's,
     * the packaged gateway that the integration-test phase runs on (failsafe passes both paths): the native
     * executable named by {@code skywatch.gateway.executable} when it is set (profile {@code native}), else
     * {@code quarkus-run.jar}. The directory is emptied first, so every run starts from nothing: the logs are
     * appended to, and an earlier run's banner in them would read as "infrastructure ready" before this run's
     * broker listens (its gateways then start on ports the broker is about to take); and an earlier run's data would
     * hide what a first start does (topics created, default rules seeded by replicas starting together).
     */
    static Cluster forTest(String name, String runId) {
        Path dir = Path.of(System.getProperty("skywatch.faults.dir", "target/faults"))
                .toAbsolutePath()
                .resolveSibling(name);
        try {
            deleteRecursively(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String executable = System.getProperty("skywatch.gateway.executable", "");
        if (!executable.isBlank()) {
            Path exe = Path.of(executable).toAbsolutePath();
            if (!Files.isExecutable(exe)) {
                throw new IllegalStateException(
                        "No native gateway executable at " + exe + " (./mvnw package -Pnative)");
            }
            return new Cluster(dir, exe, true, runId);
        }
        Path jar = Path.of(System.getProperty("skywatch.gateway.jar", "target/quarkus-app/quarkus-run.jar"))
                .toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No packaged gateway at " + jar + " (it is built before the ITs run)");
        }
        return new Cluster(dir, jar, false, runId);
    }

    /** Whether the gateways are the native executable rather than {@code quarkus-run.jar} on a JVM. */
    boolean nativeGateway() {
        return nativeGateway;
    }

    /** The packaged gateway the cluster starts: {@code quarkus-run.jar} or the native executable. */
    Path gatewayArtifact() {
        return gateway;
    }

    /** Starts the broker and the Mongo server, each in its own process, and waits until both take connections. */
    void startInfra(Duration timeout) {
        ChildProcess broker = startKafka();
        ChildProcess mongoServer = startMongo();
        org.awaitility.Awaitility.await()
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> infraReady(broker) && infraReady(mongoServer));
    }

    String kafkaBootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    String mongoUri() {
        return "mongodb://127.0.0.1:" + mongoPort;
    }

    ChildProcess startKafka() {
        Map<String, String> env = Map.of(
                "MONGODB_URI",
                "mongodb://127.0.0.1:1",
                "SKYWATCH_GATEWAY_JAR",
                "none",
                "SKYWATCH_DATA_DIR",
                dir.resolve("kafka-proc").toString(),
                "SKYWATCH_KAFKA_PORT",
                Integer.toString(kafkaPort),
                "SKYWATCH_KAFKA_CONTROLLER_PORT",
                Integer.toString(kafkaControllerPort));
        kafka = launcher("kafka", env);
        return kafka;
    }

    ChildProcess startMongo() {
        Map<String, String> env = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS",
                "127.0.0.1:1",
                "SKYWATCH_GATEWAY_JAR",
                "none",
                "SKYWATCH_MONGO_BACKEND",
                "h2",
                "SKYWATCH_DATA_DIR",
                dir.resolve("mongo-proc").toString(),
                "SKYWATCH_MONGO_PORT",
                Integer.toString(mongoPort));
        mongo = launcher("mongo", env);
        return mongo;
    }

    /** Whether the launcher has printed its banner, i.e. its broker or Mongo server accepts connections. */
    static boolean infraReady(ChildProcess launcher) {
        if (!launcher.isAlive()) {
            throw new IllegalStateException(launcher + " exited during start-up:\n" + launcher.tail(40));
        }
        return launcher.logContains(KAFKA_BANNER);
    }

    ChildProcess startGateway(String instanceId, int httpPort) {
        return startGateway(instanceId, httpPort, Map.of());
    }

    /** Starts a packaged gateway with these settings (environment variables) on top of the cluster's. */
    ChildProcess startGateway(String instanceId, int httpPort, Map<String, String> settings) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap());
        env.put("MONGODB_URI", mongoUri());
        env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put(
                "QUARKUS_MANAGEMENT_PORT",
                Integer.toString(managementPorts.computeIfAbsent(httpPort, port -> Ports.freePort())));
        env.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        env.put("SKYWATCH_LOG_JSON", "false");
        // These tests are about faults, not credentials: the gateway runs open, explicitly (security tests are
        // @QuarkusTests; JvmEntrypointIT runs the production settings).
        env.put("SKYWATCH_SECURITY_ENABLED", "false");
        env.put("SKYWATCH_INSTANCE_ID", instanceId);
        env.put("SKYWATCH_SEQUENCER_GAP_TIMEOUT", "30s");
        env.put("SKYWATCH_SEQUENCER_MAX_PENDING", "10000");
        env.putAll(settings);
        ChildProcess process = nativeGateway
                ? ChildProcess.startExecutable(
                        instanceId, runId, gateway, List.of("-Xmx512m"), List.of(), env, nextLog(instanceId))
                : ChildProcess.start(
                        instanceId,
                        runId,
                        List.of("-Xmx512m"),
                        List.of("-jar", gateway.toString()),
                        env,
                        nextLog(instanceId));
        started.add(process);
        return process;
    }

    /** GET /q/health/ready (on the gateway's management port) answers 200. */
    boolean gatewayReady(ChildProcess gateway, int httpPort) {
        if (!gateway.isAlive()) {
            throw new IllegalStateException(gateway + " exited during start-up:\n" + gateway.tail(40));
        }
        return get(managementPort(httpPort), "/q/health/ready") == 200;
    }

    /**
     * Why a gateway is not ready, on one line (a failure summary keeps only the first line of a message): whether
     * Quarkus has started, and the readiness status with its body, whitespace collapsed.
     */
    String readinessReport(ChildProcess gateway, int httpPort) {
        String started = gateway.logContains("Listening on:") ? "Quarkus started" : "Quarkus not started yet";
        try {
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + managementPort(httpPort) + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5))
                    .GET()
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return started + ", readiness " + response.statusCode() + " "
                    + response.body().replaceAll("\\s+", " ");
        } catch (IOException e) {
            return started + ", readiness unanswered: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return started + ", interrupted";
        }
    }

    /** The management port (health, metrics) of the gateway serving this HTTP port. */
    int managementPort(int httpPort) {
        Integer port = managementPorts.get(httpPort);
        if (port == null) {
            throw new IllegalStateException("no gateway was started on HTTP port " + httpPort);
        }
        return port;
    }

    int get(int port, String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5))
                    .GET()
                    .build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Tails of every process's output, for a failure report. */
    String tails(int lines) {
        StringBuilder out = new StringBuilder();
        for (ChildProcess p : started) {
            out.append("\n----- ")
                    .append(p)
                    .append(p.isAlive() ? " alive" : " exited")
                    .append(" -----\n")
                    .append(p.tail(lines));
        }
        return out.toString();
    }

    /** Kills every process this cluster started that is still alive. Never throws. */
    @Override
    public void close() {
        for (ChildProcess p : started) {
            if (p.isAlive()) {
                p.destroyQuietly();
            }
        }
    }

    /** Deletes {@code dir} and everything in it; nothing when it does not exist. */
    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private ChildProcess launcher(String name, Map<String, String> env) {
        ChildProcess p = ChildProcess.start(
                name,
                runId,
                List.of("-Xmx512m"),
                List.of("@" + classpathFile, "io.skywatch.embedded.EmbeddedLauncher"),
                env,
                nextLog(name));
        started.add(p);
        return p;
    }

    private Path nextLog(String name) {
        int n = starts.merge(name, 1, Integer::sum);
        return dir.resolve(name + "-" + n + ".log");
    }

    /**
     * The test classpath: under failsafe {@code java.class.path} is only a manifest jar, so prefer the property
     * the surefire booter sets, and otherwise expand a manifest-only jar's Class-Path.
     */
    static String testClasspath() throws IOException {
        String cp = System.getProperty("surefire.test.class.path");
        if (cp == null || cp.isBlank()) {
            cp = System.getProperty("java.class.path");
        }
        String[] entries = cp.split(File.pathSeparator);
        if (entries.length == 1 && entries[0].endsWith(".jar")) {
            try (JarFile jar = new JarFile(entries[0])) {
                Manifest manifest = jar.getManifest();
                String classPath =
                        manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
                if (classPath != null) {
                    List<String> files = new ArrayList<>();
                    URI base = Path.of(entries[0]).toAbsolutePath().getParent().toUri();
                    for (String url : classPath.trim().split("\\s+")) {
                        files.add(Path.of(base.resolve(url)).toString());
                    }
                    cp = String.join(File.pathSeparator, files);
                }
            }
        }
        if (!cp.contains("test-classes")) {
            throw new IllegalStateException("test classpath not found (no test-classes in it): " + cp);
        }
        return cp;
    }
}
