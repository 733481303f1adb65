package io.skywatch.embedded;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * A MongoDB wire-protocol server (mongo-java-server) running inside this JVM on 127.0.0.1.
 *
 * <p>
 * It announces MongoDB 5.0, so drivers negotiate a modern wire version. It has no transactions and uses indexes
 * only for exact matches on unique indexes: see PLATFORM-NOTES.md before relying on it for anything but development
 * and tests.
 *
 * <p>It keeps no oplog: nothing in Skywatch opens a change stream, and the wire server's oplog is a collection with
 * an entry for every write that is never trimmed. On the memory backend it made the heap keep about four times the
 * objects per stored event (load-tests/RESULTS.md).
 */
public final class EmbeddedMongo implements AutoCloseable {

    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(15);

    /** Where the embedded server keeps its documents. */
    public enum Backend {
        /** An H2 MVStore file under {@code <dataDir>/mongo/}: survives a restart. */
        H2,
        /** The JVM heap: fast, gone on stop. */
        MEMORY;

        /** Parses {@code h2} or {@code memory}, ignoring case. */
        public static Backend parse(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown Mongo backend '" + value + "': use h2 or memory", e);
            }
        }
    }

    private final MongoServer server;
    private final int port;

    private EmbeddedMongo(MongoServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts the server and binds it to {@code 127.0.0.1:port}.
     *
     * @param dataDir the root data directory; the H2 backend writes {@code dataDir/mongo/skywatch.mv}
     * @param port the port to listen on
     * @param backend where to keep the documents
     */
    public static EmbeddedMongo start(Path dataDir, int port, Backend backend) {
        MongoServer server = new MongoServer(backend(dataDir, backend).version(ServerVersion.MONGO_5_0));
        server.bind("127.0.0.1", port);
        return new EmbeddedMongo(server, port);
    }

    /** The connection string for drivers, e.g. {@code mongodb://127.0.0.1:27017}. */
    public String connectionString() {
        return "mongodb://127.0.0.1:" + port;
    }

    /** The port the server listens on. */
    public int port() {
        return port;
    }

    /**
     * Stops listening and closes the backend (committing the H2 store). Bounded, because a stop that arrives
     * during a long scan on H2 can wait for that scan indefinitely.
     */
    @Override
    public void close() {
        Bounded.run("mongo-shutdown", SHUTDOWN_TIMEOUT, server::shutdown);
    }

    private static MongoBackend backend(Path dataDir, Backend backend) {
        if (backend == Backend.MEMORY) {
            return new MemoryBackend();
        }
        Path dir = dataDir.resolve("mongo");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        return new H2Backend(dir.resolve("skywatch.mv").toAbsolutePath().toString());
    }
}
