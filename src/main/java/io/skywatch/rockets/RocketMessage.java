package io.skywatch.rockets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;

/**
 * A validated Rockets challenge message: the envelope's metadata plus the type-specific body.
 *
 * @param channel rocket id, the ordering and partitioning key
 * @param messageNumber position in the channel, from 1
 * @param messageTime when the emitter says the event happened, with its original offset
 * @param messageType kind of message
 * @param message type-specific body, validated against the schema for {@code messageType}
 */
public record RocketMessage(
        String channel,
        long messageNumber,
        OffsetDateTime messageTime,
        RocketMessageType messageType,
        ObjectNode message) {}
