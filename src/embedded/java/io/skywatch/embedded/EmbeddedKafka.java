package io.skywatch.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Apache Kafka broker (KRaft, broker and controller in one process) running inside this JVM.
 *
 * <p>
 * Data lives under {@code <dataDir>/kafka}; the cluster id is kept there too, so starting again on the same
 * directory finds its topics and committed offsets. Both listeners bind 127.0.0.1 only. Topics are not created
 * on first use: the gateway provisions its own with an AdminClient, and a broker that auto-creates would hide a
 * missing provisioning step.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaRaftServer server;
    private final int brokerPort;

    private EmbeddedKafka(KafkaRaftServer server, int brokerPort) {
        this.server = server;
        this.brokerPort = brokerPort;
    }

    /**
     * Formats the storage if needed and starts the broker; returns once it accepts connections.
     *
     * @param dataDir the root data directory; the broker uses {@code dataDir/kafka}
     * @param brokerPort the client listener port
     * @param controllerPort the KRaft controller listener port
     */
    public static EmbeddedKafka start(Path dataDir, int brokerPort, int controllerPort) {
        Path kafkaDir = dataDir.resolve("kafka");
        Map<String, String> settings = settings(kafkaDir, brokerPort, controllerPort);
        try {
            Files.createDirectories(kafkaDir);
            Path configFile = writeConfig(kafkaDir.resolve("server.properties"), settings);
            format(configFile, clusterId(kafkaDir.resolve("cluster.id")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Kafka storage under " + kafkaDir, e);
        }
        Properties props = new Properties();
        props.putAll(settings);
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        server.startup();
        return new EmbeddedKafka(server, brokerPort);
    }

    /** The bootstrap servers for clients, e.g. {@code 127.0.0.1:9092}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    /** Stops the broker; gives up waiting after 30 s so a stuck shutdown cannot hang the caller forever. */
    @Override
    public void close() {
        Bounded.run("kafka-shutdown", SHUTDOWN_TIMEOUT, () -> {
            server.shutdown();
            server.awaitShutdown();
        });
    }

    private static Map<String, String> settings(Path kafkaDir, int brokerPort, int controllerPort) {
        Map<String, String> s = new TreeMap<>();
        s.put("process.roles", "broker,controller");
        s.put("node.id", "1");
        // Static voters: a single node needs no dynamic quorum, and formatting stays a one-liner.
        s.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        s.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        s.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        s.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        s.put("controller.listener.names", "CONTROLLER");
        s.put("inter.broker.listener.name", "PLAINTEXT");
        s.put("log.dirs", kafkaDir.resolve("logs").toAbsolutePath().toString());
        // One node: every internal topic must be satisfiable by a single replica.
        s.put("default.replication.factor", "1");
        s.put("min.insync.replicas", "1");
        s.put("offsets.topic.replication.factor", "1");
        s.put("transaction.state.log.replication.factor", "1");
        s.put("transaction.state.log.min.isr", "1");
        s.put("share.coordinator.state.topic.replication.factor", "1");
        s.put("share.coordinator.state.topic.min.isr", "1");
        // Fewer offset partitions make the first consumer group join noticeably faster on two cores.
        s.put("offsets.topic.num.partitions", "5");
        s.put("group.initial.rebalance.delay.ms", "0");
        s.put("auto.create.topics.enable", "false");
        return s;
    }

    private static Path writeConfig(Path file, Map<String, String> settings) throws IOException {
        StringBuilder text = new StringBuilder("# Written by EmbeddedKafka on every start; edits are overwritten.\n");
        settings.forEach((k, v) ->
                text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        Files.writeString(file, text);
        return file;
    }

    /** Reuses the stored cluster id: formatting an existing log dir with a new id would make the broker refuse it. */
    private static String clusterId(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        String id = Uuid.randomUuid().toString();
        Files.writeString(file, id);
        return id;
    }

    private static void format(Path configFile, String clusterId) {
        // StorageTool prints progress on the stream it is given; keep it for the error message only.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc;
        try (PrintStream print = new PrintStream((OutputStream) out, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(
                    new String[] {"format", "-t", clusterId, "-c", configFile.toString(), "--ignore-formatted"}, print);
        }
        if (rc != 0) {
            throw new IllegalStateException("Kafka storage format failed (exit " + rc + "): "
                    + out.toString(StandardCharsets.UTF_8).trim());
        }
    }
}
