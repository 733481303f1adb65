package io.skywatch.rockets;

import java.time.Instant;

/**
 * A rocket's state as it stood just before the gap policy first skipped a number. A late arrival then
 * rebuilds from here, replaying only the messages after it, instead of the channel's whole history.
 */
public class RocketSnapshot {

    public String type;
    public String mission;
    public long speed;
    public RocketStatus status;
    public String explosionReason;
    public Instant launchTime;
    public long lastMessageNumber;
    public Instant lastMessageTime;

    static RocketSnapshot of(RocketProjection rocket) {
        RocketSnapshot snapshot = new RocketSnapshot();
        snapshot.type = rocket.type;
        snapshot.mission = rocket.mission;
        snapshot.speed = rocket.speed;
        snapshot.status = rocket.status;
        snapshot.explosionReason = rocket.explosionReason;
        snapshot.launchTime = rocket.launchTime;
        snapshot.lastMessageNumber = rocket.lastMessageNumber;
        snapshot.lastMessageTime = rocket.lastMessageTime;
        return snapshot;
    }

    void restoreInto(RocketProjection rocket) {
        rocket.type = type;
        rocket.mission = mission;
        rocket.speed = speed;
        rocket.status = status;
        rocket.explosionReason = explosionReason;
        rocket.launchTime = launchTime;
        rocket.lastMessageNumber = lastMessageNumber;
        rocket.lastMessageTime = lastMessageTime;
    }
}
