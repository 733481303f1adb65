package io.skywatch.rockets;

import io.quarkus.mongodb.panache.common.MongoEntity;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * One distinct message of a rocket channel, stored once in the event log (unique on channel and
 * messageNumber) and, while it waits for a gap to fill, inside the channel's projection as well.
 */
@MongoEntity(collection = RocketEvent.COLLECTION)
public class RocketEvent {

    public static final String COLLECTION = "rocket_events";

    public ObjectId id;
    public String channel;
    public long messageNumber;
    public String messageType;
    /** As the emitter wrote it, offset included. */
    public String messageTime;

    public Document message;
    /** When the gateway accepted it (the Kafka record's timestamp). */
    public Instant acceptedAt;

    public static RocketEvent of(RocketMessage rocketMessage, Instant acceptedAt) {
        RocketEvent event = new RocketEvent();
        event.channel = rocketMessage.channel();
        event.messageNumber = rocketMessage.messageNumber();
        event.messageType = rocketMessage.messageType().name();
        event.messageTime = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(rocketMessage.messageTime());
        event.message = Document.parse(rocketMessage.message().toString());
        event.acceptedAt = acceptedAt;
        return event;
    }

    RocketMessageType type() {
        return RocketMessageType.valueOf(messageType);
    }

    Instant occurredAt() {
        return OffsetDateTime.parse(messageTime).toInstant();
    }

    long longField(String name) {
        return ((Number) message.get(name)).longValue();
    }

    String stringField(String name) {
        return message.getString(name);
    }
}
