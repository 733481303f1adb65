package io.skywatch.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;
import static org.awaitility.Awaitility.await;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.jboss.logmanager.LogContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded broker and Mongo server behave like the real ones in what the gateway relies on. */
class EmbeddedInfraTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    static Path sharedDir;

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        EmbeddedLogging.quietInfrastructure();
        // The test's own driver logs every client's full settings at INFO.
        LogContext.getSystemLogContext().getLogger("org.mongodb.driver").setLevel(Level.WARNING);
        kafka = EmbeddedKafka.start(sharedDir, Ports.freePort(), Ports.freePort());
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void idempotentProducerRecordIsConsumedBack() throws Exception {
        createTopic(kafka, "roundtrip");

        RecordMetadata written = produce(kafka, "roundtrip", "ch-1", "hello");
        List<ConsumerRecord<String, String>> read = consume(kafka, "roundtrip", "roundtrip-reader", 1);

        assertThat(written.offset()).isZero();
        assertThat(read).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("ch-1");
            assertThat(r.value()).isEqualTo("hello");
        });
    }

    @Test
    void topicRecordAndCommittedOffsetSurviveBrokerRestart(@TempDir Path dir) throws Exception {
        int brokerPort = Ports.freePort();
        int controllerPort = Ports.freePort();
        try (EmbeddedKafka first = EmbeddedKafka.start(dir, brokerPort, controllerPort)) {
            createTopic(first, "durable");
            produce(first, "durable", "ch-2", "kept");
            consume(first, "durable", "durable-reader", 1);
        }

        try (EmbeddedKafka second = EmbeddedKafka.start(dir, brokerPort, controllerPort)) {
            try (Admin admin = admin(second)) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("durable");
                assertThat(admin.listConsumerGroupOffsets("durable-reader")
                                .partitionsToOffsetAndMetadata()
                                .get(30, TimeUnit.SECONDS)
                                .values())
                        .singleElement()
                        .satisfies(o -> assertThat(o.offset()).isEqualTo(1));
            }
            assertThat(consume(second, "durable", "durable-rereader", 1))
                    .extracting(ConsumerRecord::value)
                    .containsExactly("kept");
        }
    }

    @Test
    void mongoFindsInsertedDocumentAndRejectsDuplicateKey(@TempDir Path dir) {
        try (EmbeddedMongo mongo = EmbeddedMongo.start(dir, Ports.freePort(), EmbeddedMongo.Backend.MEMORY);
                MongoClient client = client(mongo)) {
            MongoCollection<Document> events = client.getDatabase("skywatch").getCollection("events");
            events.createIndex(Indexes.ascending("channel", "number"), new IndexOptions().unique(true));

            events.insertOne(new Document("channel", "ch-1").append("number", 1).append("payload", "first"));

            assertThat(events.find(new Document("channel", "ch-1").append("number", 1))
                            .first())
                    .containsEntry("payload", "first");
            assertThatThrownBy(() -> events.insertOne(new Document("channel", "ch-1").append("number", 1)))
                    .isInstanceOfSatisfying(
                            MongoWriteException.class,
                            e -> assertThat(e.getError().getCategory()).isEqualTo(ErrorCategory.DUPLICATE_KEY));
            assertThat(events.countDocuments()).isEqualTo(1);
        }
    }

    @Test
    void h2DocumentSurvivesMongoRestart(@TempDir Path dir) {
        int port = Ports.freePort();
        try (EmbeddedMongo mongo = EmbeddedMongo.start(dir, port, EmbeddedMongo.Backend.H2);
                MongoClient client = client(mongo)) {
            client.getDatabase("skywatch").getCollection("state").insertOne(new Document("_id", "ch-9").append("n", 7));
        }

        try (EmbeddedMongo mongo = EmbeddedMongo.start(dir, port, EmbeddedMongo.Backend.H2);
                MongoClient client = client(mongo)) {
            assertThat(client.getDatabase("skywatch")
                            .getCollection("state")
                            .find(Filters.eq("_id", "ch-9"))
                            .first())
                    .containsEntry("n", 7);
        }
    }

    @Test
    void takenPortIsReportedWithItsSetting() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            LauncherConfig config = LauncherConfig.from(Map.of(
                    "SKYWATCH_KAFKA_PORT",
                    Integer.toString(taken.getLocalPort()),
                    "SKYWATCH_GATEWAY_JAR",
                    LauncherConfig.NO_GATEWAY));

            assertThatThrownBy(config::checkBeforeStart)
                    .isInstanceOf(Ports.PortInUseException.class)
                    .hasMessageContaining("Port " + taken.getLocalPort())
                    .hasMessageContaining("SKYWATCH_KAFKA_PORT");
        }
    }

    @Test
    void launcherReportsTakenPortOnOneLineWithoutStackTrace() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(
                    java, "-cp", System.getProperty("java.class.path"), EmbeddedLauncher.class.getName());
            builder.environment().put("SKYWATCH_MONGO_PORT", Integer.toString(taken.getLocalPort()));
            builder.environment().put("SKYWATCH_KAFKA_PORT", Integer.toString(Ports.freePort()));
            builder.environment().put("SKYWATCH_KAFKA_CONTROLLER_PORT", Integer.toString(Ports.freePort()));
            builder.environment().put("SKYWATCH_GATEWAY_JAR", LauncherConfig.NO_GATEWAY);
            builder.environment().remove("KAFKA_BOOTSTRAP_SERVERS");
            builder.environment().remove("MONGODB_URI");
            builder.redirectErrorStream(true);
            Process launcher = builder.start();

            assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String output = new String(launcher.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(launcher.exitValue()).isEqualTo(2);
            assertThat(output.lines())
                    .singleElement(STRING)
                    .startsWith("skywatch: Port " + taken.getLocalPort())
                    .contains("SKYWATCH_MONGO_PORT");
        }
    }

    @Test
    void missingGatewayJarIsReportedBeforeAnythingStarts(@TempDir Path dir) {
        LauncherConfig config = LauncherConfig.from(Map.of(
                "SKYWATCH_GATEWAY_JAR", dir.resolve("nope.jar").toString(),
                "SKYWATCH_KAFKA_PORT", Integer.toString(Ports.freePort()),
                "SKYWATCH_KAFKA_CONTROLLER_PORT", Integer.toString(Ports.freePort()),
                "SKYWATCH_MONGO_PORT", Integer.toString(Ports.freePort()),
                "QUARKUS_HTTP_PORT", Integer.toString(Ports.freePort())));

        assertThatThrownBy(config::checkBeforeStart)
                .isInstanceOf(LauncherConfig.Invalid.class)
                .hasMessageContaining("nope.jar not found")
                .hasMessageContaining("SKYWATCH_GATEWAY_JAR");
    }

    private static void createTopic(EmbeddedKafka broker, String topic) throws Exception {
        try (Admin admin = admin(broker)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static RecordMetadata produce(EmbeddedKafka broker, String topic, String key, String value)
            throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                30_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                10_000);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            return producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    /** Reads {@code count} records as consumer group {@code group} and commits their offsets. */
    private static List<ConsumerRecord<String, String>> consume(
            EmbeddedKafka broker, String topic, String group, int count) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            // Same thread: KafkaConsumer refuses to be used from another one.
            await().atMost(PATIENCE).pollInSameThread().pollDelay(Duration.ZERO).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                assertThat(records).hasSize(count);
            });
            consumer.commitSync(Duration.ofSeconds(10));
        }
        return records;
    }

    private static Admin admin(EmbeddedKafka broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    private static MongoClient client(EmbeddedMongo mongo) {
        return MongoClients.create(mongo.connectionString() + "/?serverSelectionTimeoutMS=5000");
    }
}
