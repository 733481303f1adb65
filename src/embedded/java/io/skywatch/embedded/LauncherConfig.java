package io.skywatch.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The launcher's settings, read from environment variables; see {@link EmbeddedLauncher} for the list.
 *
 * @param dataDir root of the embedded data ({@code kafka/}, {@code mongo/})
 * @param kafkaPort embedded broker client port
 * @param kafkaControllerPort embedded broker KRaft controller port
 * @param mongoPort embedded Mongo port
 * @param mongoBackend embedded Mongo storage
 * @param httpPort the gateway's HTTP port, passed on as {@code QUARKUS_HTTP_PORT}
 * @param managementPort the gateway's management port (health, metrics), passed on as
 *     {@code QUARKUS_MANAGEMENT_PORT}
 * @param logJson the gateway logs JSON lines ({@code SKYWATCH_LOG_JSON}; text by default here, JSON in production)
 * @param gatewayJar the gateway's {@code quarkus-run.jar}, or empty to run the infrastructure only
 * @param gatewayJvmArgs JVM options of the gateway process
 * @param externalKafka bootstrap servers of a broker to use instead of the embedded one
 * @param externalMongo connection string of a MongoDB to use instead of the embedded one
 * @param demo feed the gateway with the demo emitters once it is ready ({@code SKYWATCH_DEMO})
 * @param securityEnabled the gateway requires credentials ({@code SKYWATCH_SECURITY_ENABLED}; off by default here,
 *     on in production)
 * @param demoApiKey the key the demo emitters send ({@code SKYWATCH_API_KEY}, else
 *     {@code SKYWATCH_SECURITY_ADMIN_KEY}); needed when security is on
 */
public record LauncherConfig(
        Path dataDir,
        int kafkaPort,
        int kafkaControllerPort,
        int mongoPort,
        EmbeddedMongo.Backend mongoBackend,
        int httpPort,
        int managementPort,
        boolean logJson,
        Optional<Path> gatewayJar,
        List<String> gatewayJvmArgs,
        Optional<String> externalKafka,
        Optional<String> externalMongo,
        boolean demo,
        boolean securityEnabled,
        Optional<String> demoApiKey) {

    /** The value of {@code SKYWATCH_GATEWAY_JAR} that starts Kafka and Mongo without a gateway. */
    public static final String NO_GATEWAY = "none";

    /** Reads the settings from {@code env}, applying the documented defaults. */
    public static LauncherConfig from(Map<String, String> env) {
        String jar = value(env, "SKYWATCH_GATEWAY_JAR", "target/quarkus-app/quarkus-run.jar");
        return new LauncherConfig(
                Path.of(value(env, "SKYWATCH_DATA_DIR", "./data"))
                        .toAbsolutePath()
                        .normalize(),
                port(env, "SKYWATCH_KAFKA_PORT", 9092),
                port(env, "SKYWATCH_KAFKA_CONTROLLER_PORT", 9093),
                port(env, "SKYWATCH_MONGO_PORT", 27017),
                backend(value(env, "SKYWATCH_MONGO_BACKEND", "h2")),
                port(env, "QUARKUS_HTTP_PORT", 8080),
                port(env, "QUARKUS_MANAGEMENT_PORT", 9000),
                flag(env, "SKYWATCH_LOG_JSON"),
                jar.equalsIgnoreCase(NO_GATEWAY)
                        ? Optional.empty()
                        : Optional.of(Path.of(jar).toAbsolutePath()),
                Arrays.asList(value(env, "SKYWATCH_GATEWAY_JVM_ARGS", "-Xmx512m")
                        .trim()
                        .split("\\s+")),
                Optional.ofNullable(env.get("KAFKA_BOOTSTRAP_SERVERS")).filter(v -> !v.isBlank()),
                Optional.ofNullable(env.get("MONGODB_URI")).filter(v -> !v.isBlank()),
                flag(env, "SKYWATCH_DEMO"),
                flag(env, "SKYWATCH_SECURITY_ENABLED"),
                Optional.ofNullable(env.get("SKYWATCH_API_KEY"))
                        .or(() -> Optional.ofNullable(env.get("SKYWATCH_SECURITY_ADMIN_KEY")))
                        .filter(v -> !v.isBlank()));
    }

    /**
     * Fails on the first port that the launcher would need but cannot bind, and on a missing gateway jar, before
     * anything has been started.
     */
    public void checkBeforeStart() {
        if (externalKafka.isEmpty()) {
            Ports.requireFree(kafkaPort, "Kafka broker", "SKYWATCH_KAFKA_PORT");
            Ports.requireFree(kafkaControllerPort, "Kafka controller", "SKYWATCH_KAFKA_CONTROLLER_PORT");
        }
        if (externalMongo.isEmpty()) {
            Ports.requireFree(mongoPort, "MongoDB", "SKYWATCH_MONGO_PORT");
        }
        if (demo && gatewayJar.isEmpty()) {
            throw new Invalid("SKYWATCH_DEMO needs a gateway to feed: unset SKYWATCH_GATEWAY_JAR=" + NO_GATEWAY + ".");
        }
        if (gatewayJar.isPresent()) {
            Ports.requireFree(httpPort, "gateway HTTP", "QUARKUS_HTTP_PORT");
            Ports.requireFree(managementPort, "gateway management (health, metrics)", "QUARKUS_MANAGEMENT_PORT");
            if (!Files.isRegularFile(gatewayJar.get())) {
                throw new Invalid("Gateway jar " + gatewayJar.get() + " not found: build it with "
                        + "`./mvnw package -DskipTests`, point SKYWATCH_GATEWAY_JAR at it, or set "
                        + "SKYWATCH_GATEWAY_JAR=" + NO_GATEWAY + " to run only Kafka and MongoDB.");
            }
        }
    }

    private static String value(Map<String, String> env, String name, String fallback) {
        String v = env.get(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String v = value(env, name, Integer.toString(fallback));
        try {
            int port = Integer.parseInt(v);
            if (port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below together with the out-of-range case
        }
        throw new Invalid(name + " must be a port number between 1 and 65535, not '" + v + "'.");
    }

    private static boolean flag(Map<String, String> env, String name) {
        String v = value(env, name, "false").toLowerCase(java.util.Locale.ROOT);
        return switch (v) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new Invalid(name + " must be true or false, not '" + v + "'.");
        };
    }

    private static EmbeddedMongo.Backend backend(String value) {
        try {
            return EmbeddedMongo.Backend.parse(value);
        } catch (IllegalArgumentException e) {
            throw new Invalid("SKYWATCH_MONGO_BACKEND must be h2 or memory, not '" + value + "'.");
        }
    }

    /** A setting the launcher cannot work with; the message is meant to be shown as is. */
    public static final class Invalid extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message);
        }
    }
}
