package io.skywatch.streams;

import io.quarkus.mongodb.panache.common.MongoEntity;
import io.skywatch.sequencing.SkippedRange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.bson.codecs.pojo.annotations.BsonId;

/**
 * Sequencing state of one key of a stream with a sequence field: the last number published to the processed
 * topic, the events held back behind a missing number (as durable as the state), and the numbers skipped.
 * Written only by compare-and-set on its version.
 */
@MongoEntity(collection = StreamChannel.COLLECTION)
public class StreamChannel {

    public static final String COLLECTION = "stream_channels";

    /** {@code <stream>|<key>}. */
    @BsonId
    public String id;

    public String stream;
    public String key;
    /** Partition of the raw topic the key's records are on. */
    public int partition;

    public long lastSequence;
    public List<StoredStreamEvent> pending = new ArrayList<>();
    public Instant waitingSince;
    public List<SkippedRange> skipped = new ArrayList<>();
    public long published;

    public long version;
    public Instant updatedAt;

    static StreamChannel newChannel(String id) {
        StreamChannel channel = new StreamChannel();
        channel.id = id;
        int separator = id.indexOf('|');
        channel.stream = id.substring(0, separator);
        channel.key = id.substring(separator + 1);
        return channel;
    }

    NavigableMap<Long, StoredStreamEvent> pendingBySequence() {
        NavigableMap<Long, StoredStreamEvent> bySequence = new TreeMap<>();
        pending.forEach(event -> bySequence.put(event.sequence, event));
        return bySequence;
    }
}
