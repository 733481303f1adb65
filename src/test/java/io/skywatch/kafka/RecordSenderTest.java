package io.skywatch.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.KafkaProducer;
import io.vertx.core.Vertx;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The acknowledgement contract of {@link RecordSender} against Kafka's own {@link MockProducer}, which lets the
 * test decide when and how each record is acknowledged (a real broker acknowledges all of a small batch at once).
 */
class RecordSenderTest {

    /** The thread each record was sent on, in order. */
    private final List<String> sentOn = new CopyOnWriteArrayList<>();

    private final MockProducer<String, String> kafka =
            new MockProducer<>(false, null, new StringSerializer(), new StringSerializer()) {
                @Override
                public synchronized Future<RecordMetadata> send(
                        ProducerRecord<String, String> record, Callback callback) {
                    sentOn.add(Thread.currentThread().getName());
                    return super.send(record, callback);
                }
            };
    private final ExecutorService sendingThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "sending"));
    private final Timer produceTimer = new SimpleMeterRegistry().timer("produce");
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    /** Half of it is what may be unacknowledged when the caller sends itself: 25 records of these sizes. */
    private static final long BUFFER_MEMORY = 2 * 25 * (3 * 4 + 100);

    private final RecordSender sender =
            new RecordSender(clientsFor(kafka, BUFFER_MEMORY), "out", produceTimer, clock::get);
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        sendingThread.shutdownNow();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void completesOnlyOnceTheBrokerAcknowledgedEveryRecord() throws Exception {
        CompletableFuture<Void> result = send(records(3));
        awaitSent(3);
        assertThat(kafka.completeNext()).isTrue();
        assertThat(kafka.completeNext()).isTrue();
        Thread.sleep(100); // a completion that is wrongly early would have arrived by now
        assertThat(result).isNotDone();

        assertThat(kafka.completeNext()).isTrue();
        result.get(10, TimeUnit.SECONDS);
        assertThat(kafka.history()).extracting(ProducerRecord::key).containsExactly("k0", "k1", "k2");
        assertThat(produceTimer.count()).isEqualTo(3);
    }

    @Test
    void failsWhenAnyRecordFailsEvenIfTheOthersWereAcknowledged() throws Exception {
        CompletableFuture<Void> result = send(records(3));
        awaitSent(3);
        kafka.completeNext();
        kafka.errorNext(new RecordTooLargeException("too large"));
        kafka.completeNext();

        assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(RecordTooLargeException.class);
    }

    @Test
    void answersOnTheCallersEventLoopNotOnTheProducersThread() throws Exception {
        CompletableFuture<String> answeredOn = new CompletableFuture<>();
        vertx.runOnContext(v -> sender.sendAll(records(2))
                .subscribe()
                .with(ok -> answeredOn.complete(Thread.currentThread().getName()), answeredOn::completeExceptionally));
        awaitSent(2);
        // The acknowledgements arrive on this (test) thread, standing in for the producer's network thread.
        kafka.completeNext();
        kafka.completeNext();

        assertThat(answeredOn.get(10, TimeUnit.SECONDS)).startsWith("vert.x-eventloop-thread");
    }

    @Test
    void anEmptyRequestNeedsNoBroker() {
        assertThat(sender.sendAll(List.of()).await().atMost(Duration.ofSeconds(1)))
                .isNull();
        assertThat(kafka.history()).isEmpty();
    }

    @Test
    void sendsThroughTheSendingThreadUntilTheTopicHasBeenAcknowledged() throws Exception {
        CompletableFuture<Void> first = send(records(2));
        awaitSent(2);
        assertThat(sentOn).containsOnly("sending");
        kafka.completeNext();
        kafka.completeNext();
        first.get(10, TimeUnit.SECONDS);

        CompletableFuture<Void> second = send(records(2));
        // Sent before sendAll's subscription returned, on this thread: no hand-over.
        assertThat(sentOn)
                .hasSize(4)
                .endsWith(
                        Thread.currentThread().getName(), Thread.currentThread().getName());
        kafka.completeNext();
        kafka.completeNext();
        second.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aFailureSendsTheNextRequestThroughTheSendingThreadAgain() throws Exception {
        acknowledgedOnce();
        CompletableFuture<Void> failing = send(records(1));
        kafka.errorNext(new RecordTooLargeException("too large"));
        assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(RecordTooLargeException.class);

        assertTheNextRecordGoesThroughTheSendingThread();
    }

    @Test
    void aQuietTopicIsSentThroughTheSendingThreadAgain() throws Exception {
        acknowledgedOnce();
        clock.addAndGet(RecordSender.CALLER_SENDS_FOR.toNanos() + 1);

        assertTheNextRecordGoesThroughTheSendingThread();
    }

    @Test
    void recordsThatWouldFillHalfTheProducersBufferGoThroughTheSendingThread() throws Exception {
        acknowledgedOnce();
        send(records(20));
        assertThat(sentOn.subList(2, 22)).containsOnly(Thread.currentThread().getName());

        // 20 unacknowledged + 6 would be over 25 records' worth
        send(records(6));
        awaitSent(28);
        assertThat(sentOn.subList(22, 28)).containsOnly("sending");

        for (int i = 0; i < 26; i++) {
            kafka.completeNext();
        }
        send(records(6));
        assertThat(sentOn.subList(28, 34)).containsOnly(Thread.currentThread().getName());
    }

    @Test
    void aRecordTheProducerRefusesOutrightFailsTheRequest() throws Exception {
        acknowledgedOnce();
        kafka.close();

        assertThatThrownBy(() -> send(records(2)).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    private void assertTheNextRecordGoesThroughTheSendingThread() {
        int sentBefore = sentOn.size();
        send(records(1));
        awaitSent(sentBefore + 1);
        assertThat(sentOn.get(sentBefore)).isEqualTo("sending");
    }

    /** One request of two records sent and acknowledged. */
    private void acknowledgedOnce() throws Exception {
        CompletableFuture<Void> first = send(records(2));
        awaitSent(2);
        kafka.completeNext();
        kafka.completeNext();
        first.get(10, TimeUnit.SECONDS);
    }

    private CompletableFuture<Void> send(List<ProducerRecord<String, String>> records) {
        return sender.sendAll(records).subscribeAsCompletionStage();
    }

    /** Sends through the sending thread are asynchronous: waits until the producer has them. */
    private void awaitSent(int records) {
        await().atMost(Duration.ofSeconds(10)).until(() -> kafka.history().size() >= records);
    }

    private static List<ProducerRecord<String, String>> records(int count) {
        return java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> new ProducerRecord<>("topic", "k" + i, "v" + i))
                .toList();
    }

    /**
     * The connector's producer, reduced to what RecordSender uses: running a task on the sending thread, the Kafka
     * producer itself and its configuration.
     */
    @SuppressWarnings("unchecked")
    private KafkaClientService clientsFor(Producer<String, String> producer, long bufferMemory) {
        KafkaProducer<String, String> reactive = (KafkaProducer<String, String>) Proxy.newProxyInstance(
                KafkaProducer.class.getClassLoader(), new Class<?>[] {KafkaProducer.class}, (proxy, method, args) -> {
                    if (method.getName().equals("runOnSendingThread")
                            && method.getParameterTypes()[0] == Consumer.class) {
                        Consumer<Producer<String, String>> task = (Consumer<Producer<String, String>>) args[0];
                        return Uni.createFrom()
                                .item(() -> {
                                    task.accept(producer);
                                    return (Void) null;
                                })
                                .runSubscriptionOn(sendingThread);
                    }
                    if (method.getName().equals("unwrap")) {
                        return producer;
                    }
                    if (method.getName().equals("configuration")) {
                        return Map.of(ProducerConfig.BUFFER_MEMORY_CONFIG, bufferMemory);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return new KafkaClientService() {
            @Override
            public <K, V> List<KafkaConsumer<K, V>> getConsumers(String channel) {
                return List.of();
            }

            @Override
            public <K, V> KafkaProducer<K, V> getProducer(String channel) {
                return channel.equals("out") ? (KafkaProducer<K, V>) reactive : null;
            }

            @Override
            public Set<String> getConsumerChannels() {
                return Set.of();
            }

            @Override
            public Set<String> getProducerChannels() {
                return Set.of("out");
            }
        };
    }
}
