package io.skywatch.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.skywatch.embedded.EmbeddedKafka;
import io.skywatch.embedded.EmbeddedMongo;
import io.skywatch.embedded.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Starts a real Kafka broker (KRaft, in-process) and a MongoDB wire server (memory backend) on free ports for
 * {@code @QuarkusTest}s, and points the application at them. Security stays on: the credentials of the run are
 * generated here ({@link TestCredentials}) and used by tests through {@link Auth}.
 *
 * <p>
 * Usage: annotate <b>exactly one</b> test class with
 *
 * <pre>
 * &#64;QuarkusTest
 * &#64;QuarkusTestResource(EmbeddedInfraResource.class)
 * class IngestResourceTest { ... }
 * </pre>
 *
 * and give every other {@code @QuarkusTest} neither this annotation nor a {@code @TestProfile}. In Quarkus 3.34
 * {@code @QuarkusTestResource} is not deprecated (it was un-deprecated, and {@code @WithTestResource}'s own
 * Javadoc recommends not using the latter yet); with its default {@code restrictToAnnotatedClass = false} the
 * resource is global: Quarkus discovers it wherever it is declared, starts it once before the first
 * {@code @QuarkusTest}, applies its config to all of them, and starts the application once for the whole run.
 * What restarts the application (and with it, for a global resource, this infrastructure) is a test class with a
 * different {@code @TestProfile}, or a {@code @WithTestResource}/{@code restrictToAnnotatedClass = true}
 * resource: avoid both unless a test really needs a different configuration.
 *
 * <p>
 * Each start uses fresh ports and a fresh temporary directory, so parallel Maven builds on one machine do not
 * collide, and no state leaks between runs. Dev Services must stay off ({@code quarkus.devservices.enabled=false}
 * in application.properties): they are build-time settings, which a test resource cannot switch.
 */
public class EmbeddedInfraResource implements QuarkusTestResourceLifecycleManager {

    private Path dataDir;
    private EmbeddedKafka kafka;
    private EmbeddedMongo mongo;

    @Override
    public Map<String, String> start() {
        try {
            dataDir = Files.createTempDirectory("skywatch-test-infra");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        kafka = EmbeddedKafka.start(dataDir, Ports.freePort(), Ports.freePort());
        mongo = EmbeddedMongo.start(dataDir, Ports.freePort(), EmbeddedMongo.Backend.MEMORY);
        Map<String, String> config = new HashMap<>(Map.of(
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                // The connector-level key wins over kafka.bootstrap.servers when an application sets it.
                "mp.messaging.connector.smallrye-kafka.bootstrap.servers", kafka.bootstrapServers(),
                "quarkus.mongodb.connection-string", mongo.connectionString()));
        // Tests run secured, as production does: a bootstrap admin key and a token signing key pair made now.
        config.putAll(TestCredentials.generate());
        return config;
    }

    @Override
    public void stop() {
        // Kafka first, like the launcher; each close is bounded, so stop() cannot hang the build.
        if (kafka != null) {
            kafka.close();
        }
        if (mongo != null) {
            mongo.close();
        }
        deleteQuietly(dataDir);
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temp directory is harmless; failing the build over it is not.
        }
    }
}
