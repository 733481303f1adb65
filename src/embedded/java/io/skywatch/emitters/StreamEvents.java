package io.skywatch.emitters;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** A generator of events for a stream defined at run time ({@code POST /streams}), with that definition. */
public interface StreamEvents {

    /**
     * One event and what the gateway should do with it.
     *
     * @param expectRejected built to be refused (schema or a {@code reject} filter)
     * @param expectFiltered built to be dropped by a {@code drop} filter (still acknowledged)
     */
    record Event(ObjectNode json, boolean expectRejected, boolean expectFiltered) {}

    /** The stream name used when none is given. */
    String defaultStream();

    /** The body of {@code POST /streams} that defines the stream under {@code name}. */
    String definition(String name);

    /** The next event, measured at {@code now}. */
    Event next(Instant now);
}
