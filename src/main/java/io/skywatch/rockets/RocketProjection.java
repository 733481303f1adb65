package io.skywatch.rockets;

import io.quarkus.mongodb.panache.common.MongoEntity;
import io.skywatch.sequencing.SkippedRange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.bson.codecs.pojo.annotations.BsonId;

/**
 * The state of one rocket, as its messages applied in order make it, together with the sequencing state
 * that makes applying crash-safe: the last applied number, the messages waiting for a gap to fill, and a
 * version that every write checks and bumps, so a stale writer (e.g. a replica that just lost the
 * partition) can never overwrite newer state.
 */
@MongoEntity(collection = RocketProjection.COLLECTION)
public class RocketProjection {

    public static final String COLLECTION = "rockets";

    @BsonId
    public String channel;

    public String type;
    public String mission;
    public long speed;
    public RocketStatus status;
    public String explosionReason;
    public Instant launchTime;
    public long lastMessageNumber;
    public Instant lastMessageTime;
    public List<Long> missingMessageNumbers = new ArrayList<>();
    public long missingCount;
    public List<RocketEvent> pending = new ArrayList<>();
    /** Since when the channel waits for the message after {@code lastMessageNumber}; null when none is pending. */
    public Instant waitingSince;

    public List<SkippedRange> skipped = new ArrayList<>();
    public long skippedCount;
    /** The state before the first number still skipped; null while nothing is skipped. */
    public RocketSnapshot beforeSkip;

    public long version;
    public Instant updatedAt;

    static RocketProjection newChannel(String channel) {
        RocketProjection projection = new RocketProjection();
        projection.channel = channel;
        return projection;
    }

    NavigableMap<Long, RocketEvent> pendingByNumber() {
        NavigableMap<Long, RocketEvent> byNumber = new TreeMap<>();
        pending.forEach(event -> byNumber.put(event.messageNumber, event));
        return byNumber;
    }

    /**
     * Applies the next message of the channel. After an explosion the rocket is frozen: later messages
     * still advance the sequence (they are stored and counted) but change nothing about the rocket.
     */
    void apply(RocketEvent event) {
        lastMessageNumber = event.messageNumber;
        lastMessageTime = event.occurredAt();
        if (status == RocketStatus.EXPLODED) {
            return;
        }
        switch (event.type()) {
            case RocketLaunched -> {
                type = event.stringField("type");
                mission = event.stringField("mission");
                speed = event.longField("launchSpeed");
                status = RocketStatus.LAUNCHED;
                launchTime = event.occurredAt();
            }
            case RocketSpeedIncreased -> speed += event.longField("by");
            case RocketSpeedDecreased -> speed -= event.longField("by");
            case RocketExploded -> {
                status = RocketStatus.EXPLODED;
                explosionReason = event.stringField("reason");
            }
            case RocketMissionChanged -> mission = event.stringField("newMission");
        }
    }

    /** A projection with this one's sequencing bookkeeping and no rocket state: the start of a rebuild. */
    RocketProjection emptyStateCopy() {
        RocketProjection empty = newChannel(channel);
        empty.missingMessageNumbers = missingMessageNumbers;
        empty.missingCount = missingCount;
        empty.pending = pending;
        empty.waitingSince = waitingSince;
        empty.skipped = skipped;
        empty.skippedCount = skippedCount;
        empty.beforeSkip = beforeSkip;
        empty.version = version;
        empty.updatedAt = updatedAt;
        return empty;
    }

    RocketProjection copy() {
        RocketProjection copy = new RocketProjection();
        copy.channel = channel;
        copy.type = type;
        copy.mission = mission;
        copy.speed = speed;
        copy.status = status;
        copy.explosionReason = explosionReason;
        copy.launchTime = launchTime;
        copy.lastMessageNumber = lastMessageNumber;
        copy.lastMessageTime = lastMessageTime;
        copy.missingMessageNumbers = new ArrayList<>(missingMessageNumbers);
        copy.missingCount = missingCount;
        copy.pending = new ArrayList<>(pending);
        copy.waitingSince = waitingSince;
        copy.skipped = new ArrayList<>(skipped);
        copy.skippedCount = skippedCount;
        copy.beforeSkip = beforeSkip;
        copy.version = version;
        copy.updatedAt = updatedAt;
        return copy;
    }
}
