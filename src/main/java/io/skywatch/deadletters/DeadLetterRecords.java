package io.skywatch.deadletters;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Builds the dead-letter copy of a record: its original key and bytes, and where it came from and why. */
public final class DeadLetterRecords {

    public static final String REASON = "dead-letter-reason";
    public static final String TOPIC = "dead-letter-topic";
    public static final String PARTITION = "dead-letter-partition";
    public static final String OFFSET = "dead-letter-offset";

    private DeadLetterRecords() {}

    public static Message<byte[]> of(ConsumerRecord<String, byte[]> record, String reason) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON, String.valueOf(reason).getBytes(StandardCharsets.UTF_8));
        headers.add(TOPIC, record.topic().getBytes(StandardCharsets.UTF_8));
        headers.add(PARTITION, String.valueOf(record.partition()).getBytes(StandardCharsets.UTF_8));
        headers.add(OFFSET, String.valueOf(record.offset()).getBytes(StandardCharsets.UTF_8));
        // The original bytes, untouched: whatever another producer wrote is kept for inspection.
        return Message.of(record.value())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(record.key())
                        .withHeaders(headers)
                        .build());
    }
}
