package io.skywatch.alerts;

import io.skywatch.problem.Problem.FieldError;
import io.skywatch.problem.ProblemException;
import io.skywatch.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.bson.Document;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Stored alerts, newest first. */
@Path("/alerts")
@RolesAllowed({Roles.VIEWER, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class AlertsResource {

    private static final int MAX_LIMIT = 10_000;

    private final AlertStore store;

    public AlertsResource(AlertStore store) {
        this.store = store;
    }

    @GET
    @Operation(summary = "Alerts raised since a time, optionally of one severity, station or state")
    public Uni<List<Alert>> list(
            @QueryParam("since") String since,
            @QueryParam("severity") String severity,
            @QueryParam("station") String station,
            @QueryParam("state") String state,
            @QueryParam("limit") @DefaultValue("1000") int limit) {
        List<FieldError> errors = new ArrayList<>();
        Document filter = new Document();
        if (since != null) {
            try {
                filter.append(
                        "raisedAt",
                        new Document(
                                "$gte", Date.from(OffsetDateTime.parse(since).toInstant())));
            } catch (DateTimeParseException e) {
                errors.add(new FieldError("since", "must be an ISO-8601 date-time with an offset"));
            }
        }
        if (severity != null) {
            try {
                filter.append(
                        "severity",
                        Severity.valueOf(severity.toUpperCase(Locale.ROOT)).name());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("severity", "must be one of " + List.of(Severity.values())));
            }
        }
        if (state != null) {
            try {
                filter.append(
                        "state",
                        Alert.State.valueOf(state.toUpperCase(Locale.ROOT)).name());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("state", "must be one of " + List.of(Alert.State.values())));
            }
        }
        if (station != null) {
            filter.append("stationId", station);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            errors.add(new FieldError("limit", "must be between 1 and " + MAX_LIMIT));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalidQuery(errors);
        }
        return store.find(filter, limit);
    }
}
