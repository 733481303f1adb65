package skywatch.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka ceiling: how many records per second a raw Java producer gets acknowledged by the same broker, with
 * the gateway's records and settings. It copies up to `sample` records (keys and values as the gateway wrote
 * them) from the gateway's topic, creates a scratch topic with the same partition count, and replays the sample
 * in a loop for `seconds` with the gateway's producer settings (acks=all, idempotence, linger.ms=2) and the same
 * bound on unacknowledged records as the gateway's skywatch.ingest.max-in-flight. Prints one line
 * {@code KAFKA CEILING records=… seconds=… records_per_s=… mean_value_bytes=… from=… to=…} (epoch
 * milliseconds of the timed loop, to line up with CPU samples).
 *
 * <p>Arguments: bootstrap servers, source topic, seconds, max in flight, sample size.
 */
public final class KafkaCeiling {

    private KafkaCeiling() {}

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String sourceTopic = args[1];
        int seconds = Integer.parseInt(args[2]);
        int maxInFlight = Integer.parseInt(args[3]);
        int sampleSize = Integer.parseInt(args[4]);

        List<ProducerRecord<String, String>> sample;
        int partitions;
        String scratch = "ceiling-" + sourceTopic + "-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicDescription source = admin.describeTopics(Set.of(sourceTopic))
                    .allTopicNames()
                    .get()
                    .get(sourceTopic);
            partitions = source.partitions().size();
            short replication = (short) source.partitions().get(0).replicas().size();
            admin.createTopics(List.of(new NewTopic(scratch, partitions, replication)))
                    .all()
                    .get();
            sample = copy(bootstrap, sourceTopic, partitions, scratch, sampleSize);
        }
        if (sample.isEmpty()) {
            throw new IllegalStateException("No records in " + sourceTopic + " to replay; run the gateway load first");
        }

        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        Semaphore window = new Semaphore(maxInFlight);
        AtomicLong acknowledged = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long valueBytes = sample.stream().mapToLong(r -> r.value().length()).sum();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            // Warm the producer (metadata, idempotent producer id) before the clock starts.
            producer.send(sample.get(0)).get();
            long startMillis = System.currentTimeMillis();
            long start = System.nanoTime();
            long end = start + Duration.ofSeconds(seconds).toNanos();
            int i = 0;
            while (System.nanoTime() < end && failure.get() == null) {
                window.acquire();
                producer.send(sample.get(i++ % sample.size()), (metadata, exception) -> {
                    window.release();
                    if (exception != null) {
                        failure.compareAndSet(null, exception);
                    } else {
                        acknowledged.incrementAndGet();
                    }
                });
            }
            producer.flush();
            double elapsed = (System.nanoTime() - start) / 1e9;
            if (failure.get() != null) {
                throw failure.get();
            }
            System.out.println(String.format(
                    Locale.ROOT,
                    "KAFKA CEILING topic=%s partitions=%d records=%d seconds=%.1f records_per_s=%.0f "
                            + "mean_value_bytes=%d sample=%d from=%d to=%d",
                    sourceTopic,
                    partitions,
                    acknowledged.get(),
                    elapsed,
                    acknowledged.get() / elapsed,
                    valueBytes / sample.size(),
                    sample.size(),
                    startMillis,
                    System.currentTimeMillis()));
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.deleteTopics(List.of(scratch)).all().get();
        }
    }

    /** The first records of every partition of the source topic, re-addressed to the scratch topic. */
    private static List<ProducerRecord<String, String>> copy(
            String bootstrap, String topic, int partitions, String scratch, int limit) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> assigned = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                assigned.add(new TopicPartition(topic, p));
            }
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            int empty = 0;
            while (records.size() < limit && empty < 5) {
                var batch = consumer.poll(Duration.ofMillis(500));
                if (batch.isEmpty()) {
                    empty++;
                }
                for (ConsumerRecord<String, String> record : batch) {
                    if (records.size() < limit) {
                        records.add(new ProducerRecord<>(scratch, record.key(), record.value()));
                    }
                }
            }
        }
        return records;
    }
}
