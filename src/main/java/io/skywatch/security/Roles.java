package io.skywatch.security;

import java.util.Set;

/**
 * The three roles. An API key carries one or more of them; a bearer token carries them in its {@code groups}
 * claim. Endpoints list every role they admit, so {@code admin} is named wherever it may act.
 */
public final class Roles {

    /** Ingest only: {@code POST /messages}, {@code /sensors/readings}, {@code /streams/{name}/events}. */
    public static final String EMITTER = "emitter";
    /** Read: the query API and {@code /ws/live}. */
    public static final String VIEWER = "viewer";
    /** Rules, streams, stations, dead letters and API keys; and whatever an emitter or a viewer may do. */
    public static final String ADMIN = "admin";

    public static final Set<String> ALL = Set.of(EMITTER, VIEWER, ADMIN);

    private Roles() {}
}
