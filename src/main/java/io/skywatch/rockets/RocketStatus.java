package io.skywatch.rockets;

/** Lifecycle of a rocket as far as its applied messages tell. */
public enum RocketStatus {
    LAUNCHED,
    EXPLODED
}
