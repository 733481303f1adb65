package io.skywatch.embedded;

/**
 * The Kafka and MongoDB the gateway talks to: embedded ones started here, or external ones passed through.
 *
 * <p>
 * Start and close are synchronized so that a Ctrl-C arriving while Kafka is still starting waits for it and
 * then stops it, instead of racing the start-up and leaving a half-started broker behind.
 */
final class Infrastructure implements AutoCloseable {

    private final LauncherConfig config;
    private EmbeddedKafka kafka;
    private EmbeddedMongo mongo;
    private boolean closed;
    private long kafkaStartMillis;
    private long mongoStartMillis;

    Infrastructure(LauncherConfig config) {
        this.config = config;
    }

    /** Starts whatever is not external: Kafka first, since it takes the longest and fails most visibly. */
    synchronized void start() {
        if (closed) {
            throw new IllegalStateException("shutting down");
        }
        if (config.externalKafka().isEmpty()) {
            long t0 = System.nanoTime();
            kafka = EmbeddedKafka.start(config.dataDir(), config.kafkaPort(), config.kafkaControllerPort());
            kafkaStartMillis = (System.nanoTime() - t0) / 1_000_000;
        }
        if (config.externalMongo().isEmpty()) {
            long t0 = System.nanoTime();
            mongo = EmbeddedMongo.start(config.dataDir(), config.mongoPort(), config.mongoBackend());
            mongoStartMillis = (System.nanoTime() - t0) / 1_000_000;
        }
    }

    String kafkaBootstrapServers() {
        return config.externalKafka().orElseGet(() -> kafka.bootstrapServers());
    }

    String mongoUri() {
        return config.externalMongo().orElseGet(() -> mongo.connectionString());
    }

    /** One banner line about Kafka. */
    String describeKafka() {
        return kafka == null
                ? kafkaBootstrapServers() + "  (external)"
                : kafkaBootstrapServers() + "  (embedded, started in " + kafkaStartMillis + " ms, data "
                        + config.dataDir().resolve("kafka") + ")";
    }

    /** One banner line about MongoDB. */
    String describeMongo() {
        if (mongo == null) {
            return "(external, from MONGODB_URI)";
        }
        String storage = config.mongoBackend() == EmbeddedMongo.Backend.H2
                ? "h2 " + config.dataDir().resolve("mongo")
                : "memory, lost on stop";
        return mongoUri() + "  (embedded, started in " + mongoStartMillis + " ms, " + storage + ")";
    }

    /** What {@link #close()} stops, for the banner, e.g. "Kafka, then MongoDB"; empty if all is external. */
    String embeddedStopOrder() {
        if (config.externalKafka().isPresent()) {
            return config.externalMongo().isPresent() ? "" : "MongoDB";
        }
        return config.externalMongo().isPresent() ? "Kafka" : "Kafka, then MongoDB";
    }

    /** Stops Kafka before Mongo; idempotent, and safe to call while {@link #start()} has only half finished. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (kafka != null) {
            kafka.close();
        }
        if (mongo != null) {
            mongo.close();
        }
    }
}
