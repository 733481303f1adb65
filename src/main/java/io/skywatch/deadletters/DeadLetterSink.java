package io.skywatch.deadletters;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.skywatch.observability.LogFields;
import io.skywatch.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Sends a stream's unreadable records to its dead-letter topic and counts them. */
public final class DeadLetterSink {

    private final MutinyEmitter<byte[]> emitter;
    private final Counter sent;
    private final String stream;

    public DeadLetterSink(MutinyEmitter<byte[]> emitter, MeterRegistry registry, String stream) {
        this.emitter = emitter;
        this.stream = stream;
        this.sent = Counter.builder("skywatch.dlq.records")
                .tag("stream", stream)
                .description("Records sent to the dead-letter topic")
                .register(registry);
    }

    /** Completes when the dead-letter copy is acknowledged, so the original's offset may then be committed. */
    public Uni<Void> send(ConsumerRecord<String, byte[]> record, RuntimeException reason) {
        String why =
                reason instanceof ProblemException problem ? problem.toProblem().detail() : reason.getMessage();
        LogFields.with(
                stream,
                record.key(),
                () -> Log.warnf(
                        "Dead-lettering record %s-%d@%d: %s",
                        record.topic(), record.partition(), record.offset(), why));
        return emitter.sendMessage(DeadLetterRecords.of(record, why)).invoke(() -> sent.increment());
    }
}
