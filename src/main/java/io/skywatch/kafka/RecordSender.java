package io.skywatch.kafka;

import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaProducer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes one request's records through an outgoing channel's own producer (its configuration: acks=all,
 * idempotence, serializers, timeouts) in one go, rather than one reactive-messaging message per record. Per record,
 * the emitter path built a message with metadata, went through the channel's stream and acknowledgement stages and
 * hopped to the sending thread on its own: about a quarter of the gateway's CPU in a profile of 500-reading
 * batches, while the sends themselves only append to the producer's buffer.
 *
 * <p>{@code KafkaProducer.send} only appends to a buffer, unless the producer has no metadata for the topic or its
 * buffer is full: then it waits, up to {@code max.block.ms}, which must not happen on an event loop. The records
 * therefore go through the connector's sending thread, except while neither can happen, when the caller sends them
 * itself and saves a thread hand-over per request (a wake-up of the sending thread, and its sleep after): this
 * sender's last request was acknowledged less than {@link #CALLER_SENDS_FOR} ago and nothing failed since (the
 * producer drops a topic's metadata only after {@code metadata.max.idle.ms}, 5 minutes, without a send to it), and
 * the records sent and not yet acknowledged fill at most half of {@code buffer.memory}. What this does not cover is
 * the topic deleted under a running gateway: in the seconds between its last acknowledgement and the first failure,
 * a send on the caller's thread could wait for metadata that no longer comes, which is why the window is short.
 *
 * <p>The result completes once the broker acknowledged every record, back on the caller's Vert.x context (the
 * producer's callbacks run on its network thread, which must not go on to serialise HTTP responses); it fails
 * with the first record's failure, so a request is answered 2xx only when all of it is durable.
 */
public final class RecordSender {

    /**
     * How long after an acknowledgement the topic's metadata is taken to be in the producer for sure; under load
     * acknowledgements come every few milliseconds, so only the first request after a quiet spell is handed over.
     */
    static final Duration CALLER_SENDS_FOR = Duration.ofSeconds(5);

    /** Kafka's default {@code buffer.memory}, when the channel does not set it. */
    private static final long DEFAULT_BUFFER_MEMORY = 32L * 1024 * 1024;

    private final KafkaClientService clients;
    private final String channel;
    private final Timer produceTimer;
    private final LongSupplier nanoClock;
    private final AtomicLong unacknowledgedBytes = new AtomicLong();
    /* Set by an acknowledged request, cleared by any failure; and until when it holds (System.nanoTime). */
    private volatile boolean callerMaySend;
    private volatile long callerSendsUntil;
    private volatile KafkaProducer<String, String> producer;
    private volatile long bufferBudget;

    /**
     * @param channel the outgoing channel whose producer (and configuration) sends the records
     * @param produceTimer times each record from hand-over to acknowledgement
     */
    public RecordSender(KafkaClientService clients, String channel, Timer produceTimer) {
        this(clients, channel, produceTimer, System::nanoTime);
    }

    RecordSender(KafkaClientService clients, String channel, Timer produceTimer, LongSupplier nanoClock) {
        this.clients = clients;
        this.channel = channel;
        this.produceTimer = produceTimer;
        this.nanoClock = nanoClock;
    }

    /** Completes when the broker has acknowledged every record; fails with the first failure otherwise. */
    public Uni<Void> sendAll(List<ProducerRecord<String, String>> records) {
        if (records.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Context caller = Vertx.currentContext();
        return Uni.createFrom().emitter(result -> {
            Request request = new Request(records, caller, result);
            KafkaProducer<String, String> connector = producer();
            if (callerMaySend(request.bytes)) {
                request.sendWith(connector.unwrap());
            } else {
                connector.runOnSendingThread(request::sendWith).subscribe().with(sent -> {}, request::fail);
            }
        });
    }

    private boolean callerMaySend(long bytes) {
        return callerMaySend
                && nanoClock.getAsLong() - callerSendsUntil < 0
                && unacknowledgedBytes.get() + bytes <= bufferBudget;
    }

    /** An upper bound of what the records take in the producer's buffer: UTF-8 takes at most 3 bytes a char. */
    private static long bytesOf(List<ProducerRecord<String, String>> records) {
        long chars = 0;
        for (ProducerRecord<String, String> record : records) {
            chars += length(record.key()) + length(record.value());
        }
        // Per record: Kafka's record and batch headers, well under 100 bytes.
        return chars * 3 + records.size() * 100L;
    }

    private static int length(String text) {
        return text == null ? 0 : text.length();
    }

    private KafkaProducer<String, String> producer() {
        KafkaProducer<String, String> current = producer;
        if (current == null) {
            current = Objects.requireNonNull(
                    clients.getProducer(channel), () -> "no Kafka producer for channel " + channel);
            Object memory = current.configuration().get(ProducerConfig.BUFFER_MEMORY_CONFIG);
            bufferBudget = (memory == null ? DEFAULT_BUFFER_MEMORY : Long.parseLong(memory.toString())) / 2;
            producer = current;
        }
        return current;
    }

    /** One request's records and its answer. */
    private final class Request {

        private final List<ProducerRecord<String, String>> records;
        private final Context caller;
        private final UniEmitter<? super Void> result;
        private final AtomicInteger outstanding;
        private final AtomicBoolean ended = new AtomicBoolean();
        private final long bytes;

        Request(List<ProducerRecord<String, String>> records, Context caller, UniEmitter<? super Void> result) {
            this.records = records;
            this.caller = caller;
            this.result = result;
            this.outstanding = new AtomicInteger(records.size());
            this.bytes = bytesOf(records);
        }

        void sendWith(Producer<String, String> kafka) {
            unacknowledgedBytes.addAndGet(bytes);
            for (ProducerRecord<String, String> record : records) {
                long handedOver = System.nanoTime();
                try {
                    kafka.send(record, (metadata, error) -> acknowledged(handedOver, error));
                } catch (RuntimeException refused) {
                    // A closed producer or an unserialisable record throws instead of calling back: the records
                    // after it are not sent, so none will be acknowledged.
                    unacknowledgedBytes.addAndGet(-bytes);
                    fail(refused);
                    return;
                }
            }
        }

        private void acknowledged(long handedOver, Exception error) {
            if (error != null) {
                if (outstanding.decrementAndGet() == 0) {
                    unacknowledgedBytes.addAndGet(-bytes);
                }
                fail(error);
                return;
            }
            produceTimer.record(System.nanoTime() - handedOver, TimeUnit.NANOSECONDS);
            if (outstanding.decrementAndGet() == 0) {
                unacknowledgedBytes.addAndGet(-bytes);
                if (ended.compareAndSet(false, true)) {
                    callerSendsUntil = nanoClock.getAsLong() + CALLER_SENDS_FOR.toNanos();
                    callerMaySend = true;
                    onCaller(() -> result.complete(null));
                }
            }
        }

        void fail(Throwable failure) {
            callerMaySend = false;
            if (ended.compareAndSet(false, true)) {
                onCaller(() -> result.fail(failure));
            }
        }

        private void onCaller(Runnable action) {
            if (caller == null) {
                action.run();
            } else {
                caller.runOnContext(ignored -> action.run());
            }
        }
    }
}
