package io.skywatch.rockets;

import io.skywatch.problem.ProblemException;
import io.skywatch.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** Query API over the rockets projection and the event log. */
@Path("/rockets")
@RolesAllowed({Roles.VIEWER, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class RocketsResource {

    private static final int MAX_EVENTS_PAGE = 1000;

    private final RocketProjections projections;
    private final RocketEventLog eventLog;

    public RocketsResource(RocketProjections projections, RocketEventLog eventLog) {
        this.projections = projections;
        this.eventLog = eventLog;
    }

    @GET
    @Operation(
            summary = "List launched rockets",
            description = "Rockets whose launch message has been applied, sorted and optionally filtered by status.")
    public Uni<List<Rocket>> list(
            @Parameter(description = "type, mission, speed, status, launchTime, lastMessageTime or channel")
                    @QueryParam("sort")
                    String sort,
            @Parameter(description = "asc (default) or desc") @QueryParam("order") String order,
            @Parameter(description = "LAUNCHED or EXPLODED") @QueryParam("status") String status,
            @QueryParam("offset") @DefaultValue("0") int offset,
            @QueryParam("limit") @DefaultValue("1000") int limit) {
        RocketQuery query = RocketQuery.parse(sort, order, status, offset, limit);
        return projections
                .list(query)
                .map(found -> found.stream().map(Rocket::of).toList());
    }

    @GET
    @Path("/{channel}")
    @Operation(summary = "One rocket by channel")
    public Uni<Rocket> get(@PathParam("channel") String channel) {
        return projections.findById(channel).map(projection -> {
            if (projection == null) {
                throw ProblemException.notFound("No rocket with channel '" + channel + "'.");
            }
            if (projection.status == null) {
                throw ProblemException.notFound("Rocket '" + channel + "' has no launch applied yet; "
                        + projection.pending.size() + " of its messages wait for message "
                        + (projection.lastMessageNumber + 1) + ".");
            }
            return Rocket.of(projection);
        });
    }

    /** One stored event, as the events API shows it. */
    public record StoredEvent(
            long messageNumber,
            String messageType,
            String messageTime,
            Map<String, Object> message,
            Instant acceptedAt) {}

    /** A page of a channel's events; {@code nextAfter} is the {@code after} of the next page, null at the end. */
    public record EventPage(String channel, List<StoredEvent> events, Long nextAfter) {}

    @GET
    @Path("/{channel}/events")
    @Operation(summary = "A rocket's stored messages in message-number order, paged by message number")
    public Uni<EventPage> events(
            @PathParam("channel") String channel,
            @Parameter(description = "return messages numbered above this") @QueryParam("after") @DefaultValue("0")
                    long after,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > MAX_EVENTS_PAGE) {
            throw ProblemException.invalidQuery(List.of(
                    new io.skywatch.problem.Problem.FieldError("limit", "must be between 1 and " + MAX_EVENTS_PAGE)));
        }
        return eventLog.page(channel, after, limit + 1).chain(found -> {
            if (found.isEmpty() && after == 0) {
                return eventLog.hasAny(channel).map(any -> {
                    throw ProblemException.notFound("No rocket with channel '" + channel + "'.");
                });
            }
            boolean more = found.size() > limit;
            List<StoredEvent> page = found.stream()
                    .limit(limit)
                    .map(e -> new StoredEvent(e.messageNumber, e.messageType, e.messageTime, e.message, e.acceptedAt))
                    .toList();
            Long nextAfter = more ? page.get(page.size() - 1).messageNumber() : null;
            return Uni.createFrom().item(new EventPage(channel, page, nextAfter));
        });
    }
}
