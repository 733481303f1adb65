package io.skywatch.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.skywatch.embedded.Ports;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The JVM image's entrypoint, without Docker: reads {@code src/main/docker/Dockerfile.jvm}, lays
 * {@code target/quarkus-app} out as its COPY lines do (under a temporary directory standing for {@code /}), and runs
 * its ENTRYPOINT with its ENV, in its WORKDIR, plus the environment the Kubernetes Deployment gives the container
 * ({@code kubernetes/base/gateway.env}), pointed at an embedded broker and Mongo wire server on free ports. The
 * gateway must become ready on the management port, accept an event (202), and stop on SIGTERM within the pod's
 * shutdown budget (kubernetes/base/deployment.yaml: grace period minus preStop sleep).
 */
class JvmEntrypointIT {

    private static final Logger LOG = Logger.getLogger(JvmEntrypointIT.class);
    private static final Path DOCKERFILE = Path.of("src/main/docker/Dockerfile.jvm");
    private static final Path POD_ENV = Path.of("kubernetes/base/gateway.env");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Path DEPLOYMENT = Path.of("kubernetes/base/deployment.yaml");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void theImageEntrypointServesAndStopsOnSigterm() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        // A fresh directory per run: the launchers append to their logs, and an old banner would read as ready.
        Path dir = Path.of(System.getProperty("skywatch.faults.dir", "target/faults"))
                .toAbsolutePath()
                .resolveSibling("entrypoint")
                .resolve(run);
        Path image = dir.resolve("image-root");
        Files.createDirectories(image);
        Dockerfile dockerfile = Dockerfile.parse(Files.readString(DOCKERFILE));
        // What SIGTERM leaves the JVM in the pod: the grace period minus the preStop sleep before it.
        JsonNode pod = new YAMLMapper()
                .readTree(DEPLOYMENT.toFile())
                .path("spec")
                .path("template")
                .path("spec");
        Duration stopBudget =
                Duration.ofSeconds(pod.path("terminationGracePeriodSeconds").asLong()
                        - pod.path("containers")
                                .get(0)
                                .path("lifecycle")
                                .path("preStop")
                                .path("sleep")
                                .path("seconds")
                                .asLong());
        assertThat(stopBudget).isPositive();
        dockerfile.layOut(Path.of("").toAbsolutePath(), image);

        List<String> lib;
        try (Stream<Path> jars = Files.walk(image.resolve("deployments/lib"))) {
            lib = jars.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".jar"))
                    .toList();
        }
        assertThat(lib).as("the image's libraries").isNotEmpty();
        assertThat(lib)
                .as("no embedded broker or Mongo wire server in the image")
                .noneMatch(n -> n.startsWith("org.apache.kafka.kafka_2.13") || n.contains("mongo-java-server"));

        try (Cluster cluster = new Cluster(dir, Path.of("unused"), "entrypoint-" + run)) {
            cluster.startInfra(START_TIMEOUT);

            int httpPort = Ports.freePort();
            int managementPort = Ports.freePort();
            Map<String, String> env = new LinkedHashMap<>(dockerfile.env(image));
            env.putAll(envFile(POD_ENV));
            // What differs from the pod: addresses and ports here, and one broker instead of three.
            env.put("KAFKA_BOOTSTRAP_SERVERS", cluster.kafkaBootstrap());
            env.put("MONGODB_URI", cluster.mongoUri());
            env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
            env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
            env.put("SKYWATCH_TOPICS_REPLICATION_FACTOR", "1");
            env.put("SKYWATCH_INSTANCE_ID", "skywatch-gateway-entrypoint-" + run);
            // The image's "java" is the first on its PATH; here it is the JDK running this test.
            env.put(
                    "PATH",
                    Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator + System.getenv("PATH"));

            List<String> command = dockerfile.entrypoint(image);

            // The production settings without the Secret's credentials: the gateway must refuse to start, not run
            // open (exit code non-zero, the reason in its log).
            Path refusedLog = dir.resolve("gateway-no-credentials-" + run + ".log");
            ProcessBuilder withoutCredentials = new ProcessBuilder(command)
                    .directory(dockerfile.workdir(image).toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(refusedLog.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            withoutCredentials.environment().clear();
            withoutCredentials.environment().putAll(env);
            Process refused = withoutCredentials.start();
            try {
                assertThat(refused.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                        .as("a gateway without credentials exits:\n%s", tail(refusedLog))
                        .isTrue();
                assertThat(refused.exitValue()).isNotZero();
                assertThat(Files.readString(refusedLog, StandardCharsets.ISO_8859_1))
                        .contains("refusing to start")
                        .contains("SKYWATCH_SECURITY_ADMIN_KEY");
            } finally {
                refused.destroyForcibly();
            }
            // What the Deployment adds from the Secret skywatch-security.
            String adminKey = UUID.randomUUID() + "-" + UUID.randomUUID();
            env.put("SKYWATCH_SECURITY_ADMIN_KEY", adminKey);

            Path log = dir.resolve("gateway-" + run + ".log");
            LOG.infof(
                    "Entrypoint %s in %s with JAVA_OPTS=%s", command, dockerfile.workdir(image), env.get("JAVA_OPTS"));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(dockerfile.workdir(image).toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().clear();
            builder.environment().putAll(env);
            long started = System.nanoTime();
            Process gateway = builder.start();
            try {
                await().atMost(START_TIMEOUT)
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> {
                            assertThat(gateway.isAlive())
                                    .as("gateway exited:\n%s", tail(log))
                                    .isTrue();
                            return cluster.get(managementPort, "/q/health/ready") == 200;
                        });
                Duration ready = Duration.ofNanos(System.nanoTime() - started);
                // exec in the entrypoint: the process started is java itself, so SIGTERM reaches the JVM.
                assertThat(gateway.info().command().orElse(""))
                        .as("the entrypoint's process is java (exec)")
                        .endsWith("/java");
                assertThat(cluster.get(managementPort, "/q/health/started")).isEqualTo(200);
                assertThat(cluster.get(managementPort, "/q/health/live")).isEqualTo(200);
                assertThat(cluster.get(httpPort, "/q/health/ready"))
                        .as("health is on the management port only")
                        .isNotEqualTo(200);
                assertThat(postLaunch(httpPort, "entrypoint-" + run, null))
                        .as("no API key")
                        .isEqualTo(401);
                assertThat(postLaunch(httpPort, "entrypoint-" + run, adminKey)).isEqualTo(202);
                assertThat(Files.readString(log, StandardCharsets.ISO_8859_1))
                        .as("JSON log lines, as the image logs by default")
                        .contains("\"service\":\"skywatch\"");

                long stopping = System.nanoTime();
                gateway.destroy();
                assertThat(gateway.waitFor(stopBudget.toSeconds(), TimeUnit.SECONDS))
                        .as("stopped within %s of SIGTERM:\n%s", stopBudget, tail(log))
                        .isTrue();
                Duration stopped = Duration.ofNanos(System.nanoTime() - stopping);
                LOG.infof(
                        "Image entrypoint: ready on :%d/q/health/ready %d ms after start; stopped %d ms after SIGTERM"
                                + " (exit %d; budget %d s)",
                        managementPort,
                        ready.toMillis(),
                        stopped.toMillis(),
                        gateway.exitValue(),
                        stopBudget.toSeconds());
                assertThat(Files.readString(log, StandardCharsets.ISO_8859_1))
                        .as("Quarkus shut down, not killed")
                        .contains("stopped in");
            } finally {
                gateway.descendants().forEach(ProcessHandle::destroyForcibly);
                gateway.destroyForcibly();
                gateway.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * The parts of a Dockerfile that decide what runs: ENV, COPY, WORKDIR, ENTRYPOINT (exec form). Paths in it are
     * image paths; {@code root} stands for the image's {@code /}.
     */
    record Dockerfile(
            Map<String, String> rawEnv, List<String[]> copies, String rawWorkdir, List<String> rawEntrypoint) {

        static Dockerfile parse(String text) throws IOException {
            Map<String, String> env = new LinkedHashMap<>();
            List<String[]> copies = new ArrayList<>();
            String workdir = "/";
            List<String> entrypoint = null;
            Pattern pair = Pattern.compile("(\\w+)=(\"((?:[^\"\\\\]|\\\\.)*)\"|'([^']*)'|(\\S+))");
            for (String line : text.replace("\\\n", " ").split("\n")) {
                String trimmed = line.trim();
                if (trimmed.startsWith("#") || trimmed.isEmpty()) {
                    continue;
                }
                String[] parts = trimmed.split("\\s+", 2);
                String instruction = parts[0].toUpperCase();
                String args = parts.length > 1 ? parts[1] : "";
                switch (instruction) {
                    case "ENV" -> {
                        Matcher m = pair.matcher(args);
                        while (m.find()) {
                            String value = m.group(3) != null
                                    ? m.group(3).replace("\\\"", "\"")
                                    : m.group(4) != null ? m.group(4) : m.group(5);
                            env.put(m.group(1), value);
                        }
                    }
                    case "COPY" -> {
                        List<String> words = new ArrayList<>(List.of(args.split("\\s+")));
                        words.removeIf(w -> w.startsWith("--"));
                        assertThat(words)
                                .as("COPY %s: one source, one destination", args)
                                .hasSize(2);
                        copies.add(words.toArray(String[]::new));
                    }
                    case "WORKDIR" -> workdir = args;
                    case "ENTRYPOINT" -> {
                        assertThat(args).as("ENTRYPOINT in exec form").startsWith("[");
                        entrypoint = List.of(new ObjectMapper().readValue(args, String[].class));
                    }
                    default -> {
                        // FROM, USER, EXPOSE: what the image is built on and runs as, not what it runs.
                    }
                }
            }
            assertThat(entrypoint).as("ENTRYPOINT").isNotNull();
            return new Dockerfile(env, copies, workdir, entrypoint);
        }

        /** Copies each COPY source (a directory ending in "/", or a file glob) to its destination under root. */
        void layOut(Path context, Path root) throws IOException {
            for (String[] copy : copies) {
                String source = copy[0];
                Path destination = inImage(root, copy[1]);
                if (source.endsWith("/")) {
                    copyTree(context.resolve(source), destination);
                    continue;
                }
                Path sourceDir = context.resolve(source).getParent();
                PathMatcher glob = FileSystems.getDefault()
                        .getPathMatcher("glob:" + Path.of(source).getFileName());
                Files.createDirectories(destination);
                int matched = 0;
                try (Stream<Path> files = Files.list(sourceDir)) {
                    for (Path file :
                            files.filter(f -> glob.matches(f.getFileName())).toList()) {
                        Files.copy(file, destination.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                        matched++;
                    }
                }
                assertThat(matched)
                        .as("COPY %s matches files (run ./mvnw package first)", source)
                        .isPositive();
            }
        }

        Map<String, String> env(Path root) {
            Map<String, String> result = new LinkedHashMap<>();
            rawEnv.forEach((k, v) -> result.put(k, rebase(root, v)));
            return result;
        }

        List<String> entrypoint(Path root) {
            return rawEntrypoint.stream().map(a -> rebase(root, a)).toList();
        }

        Path workdir(Path root) {
            return inImage(root, rawWorkdir);
        }

        /** /deployments/… in the image is root/deployments/… here; the system's /bin/sh stays itself. */
        static String rebase(Path root, String value) {
            return value.replace("/deployments", root.resolve("deployments").toString());
        }

        static Path inImage(Path root, String imagePath) {
            return root.resolve(imagePath.replaceFirst("^/", ""));
        }
    }

    static Map<String, String> envFile(Path file) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] kv = line.split("=", 2);
                env.put(kv[0].trim(), kv[1].trim());
            }
        }
        return env;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ")";
        }
    }

    private int postLaunch(int port, String channel, String apiKey) throws IOException, InterruptedException {
        String body = "{\"metadata\":{\"channel\":\"" + channel
                + "\",\"messageNumber\":1,\"messageTime\":\"2026-11-26T03:00:00Z\",\"messageType\":\"RocketLaunched\"},"
                + "\"message\":{\"type\":\"Falcon-9\",\"launchSpeed\":500,\"mission\":\"ARTEMIS\"}}";
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/messages"))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) {
            request.header("X-API-Key", apiKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
