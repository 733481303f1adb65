package io.skywatch.streams;

import io.quarkus.mongodb.panache.common.MongoEntity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.codecs.pojo.annotations.BsonId;

/**
 * A stream defined at run time: what its events look like (a JSON Schema), which field is the channel key,
 * what is dropped or refused, how events are enriched and what is counted. Stored in {@code stream_definitions};
 * the schema is kept as text because JSON Schema keywords ({@code $schema}, {@code $ref}) cannot be Mongo keys.
 */
@MongoEntity(collection = StreamDefinition.COLLECTION)
public class StreamDefinition {

    public static final String COLLECTION = "stream_definitions";

    @BsonId
    public String name;

    public String description;
    public String schemaJson;
    /** Field (top-level name or JSON pointer) whose value keys the event: its channel, and its Kafka key. */
    public String keyField;
    /** Optional per-key sequence number field: events are then stored once per key and number. */
    public String sequenceField;
    /** Optional field with the event's own time: ISO-8601 with an offset, or an epoch number. */
    public String eventTimeField;
    /** Unit of an epoch-number event time: {@code ms} (default) or {@code s}. */
    public String eventTimeUnit = "ms";
    /** Optional field whose value identifies an event: a resent event is stored once. */
    public String idField;

    public Enrichment enrich = new Enrichment();
    public List<Filter> filters = new ArrayList<>();
    public List<Aggregation> aggregations = new ArrayList<>();
    /** How late an event may be for its window, e.g. {@code 5s}; null for skywatch.aggregates.allowed-lateness. */
    public String allowedLateness;
    /** Send filtered-out events to the stream's rejected topic, with the reason. */
    public boolean publishFiltered;

    public Instant createdAt;
    public Instant updatedAt;

    /** What the gateway adds to each event on its way to the processed topic. */
    public static class Enrichment {
        /** Add {@code processedAt}: when the gateway processed the event. */
        public boolean processingTime = true;
        /** Add {@code eventTimeUtc}: the event time field, normalised to UTC. */
        public boolean eventTimeUtc = true;
    }

    /**
     * A condition on a field and what to do with events matching it: {@code drop} counts and skips them (202),
     * {@code reject} refuses them with the filter's reason (like a schema violation).
     */
    public static class Filter {
        public String name;
        public String field;
        public FilterOperator op;
        /**
         * Compared value as JSON text (a list for {@code in} / {@code notIn}; a dotted version for
         * {@code versionBelow}): kept as text so any JSON value is stored as given.
         */
        public String valueJson;

        public FilterAction action;
        /** Shown to the emitter (reject) or recorded with the event (drop). */
        public String reason;
    }

    /** What a filter does with the events it matches. */
    public enum FilterAction {
        DROP,
        REJECT
    }

    /** A count or numeric summary over tumbling windows of event time (processing time when there is none). */
    public static class Aggregation {
        public String name;
        public AggregationType type;
        /** For {@code count}: group by this field's value. For {@code stats}: the numeric field summarised. */
        public String field;
        /** Window length, e.g. {@code 60s}, {@code 1m}, {@code 1h}. */
        public String window = "1m";
    }

    /** Kinds of aggregation. */
    public enum AggregationType {
        COUNT,
        STATS
    }
}
