package io.skywatch.streams;

import io.quarkus.mongodb.panache.common.MongoEntity;
import java.time.Instant;
import org.bson.types.ObjectId;

/**
 * An event of a run-time stream as stored: once per dedupe key. The event itself is kept as JSON text, not as a
 * document, so no key an emitter chooses ({@code $where}, {@code a.b}) is ever read by Mongo as an operator or a
 * path; what queries need is pulled out into typed fields.
 */
@MongoEntity(collection = StoredStreamEvent.COLLECTION)
public class StoredStreamEvent {

    public static final String COLLECTION = "stream_events";

    public ObjectId id;
    public String stream;
    public String key;
    /** {@code seq:<key>:<n>}, {@code id:<id>} or {@code kafka:<partition>:<offset>}. */
    public String dedupeKey;

    /** {@code <partition>:<offset>} of the record stored: a resent copy has other coordinates. */
    public String source;

    public Long sequence;
    /** The event time when the stream defines one, else when the gateway accepted the event. */
    public Instant time;

    public Instant acceptedAt;
    /** The validated, enriched event, as published to the processed topic. */
    public String json;
    /** Whether it went to the processed topic (a redelivered batch republishes only what did not). */
    public boolean published;
}
