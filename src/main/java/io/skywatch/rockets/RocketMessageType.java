package io.skywatch.rockets;

/** The kinds of message a rocket channel carries, named as on the wire. */
public enum RocketMessageType {
    RocketLaunched,
    RocketSpeedIncreased,
    RocketSpeedDecreased,
    RocketExploded,
    RocketMissionChanged
}
