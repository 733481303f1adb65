package io.skywatch.alerts;

import io.skywatch.problem.Problem.FieldError;
import io.skywatch.problem.ProblemException;
import io.skywatch.security.Roles;
import io.skywatch.sensors.SensorMetric;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Threshold rules, managed at run time; changes apply on every replica within the refresh interval. */
@Path("/alert-rules")
@RolesAllowed({Roles.VIEWER, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class AlertRulesResource {

    private static final String ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9._:-]{0,127}";

    private final AlertStore store;
    private final AlertRules rules;

    public AlertRulesResource(AlertStore store, AlertRules rules) {
        this.store = store;
        this.rules = rules;
    }

    /**
     * A rule as clients send it.
     *
     * @param id optional on POST (generated when absent)
     * @param metric a registered metric
     * @param severity INFO, WARNING or CRITICAL
     * @param raiseAbove raise when a reading goes above this
     * @param clearBelow clear when a reading falls below this (default: 10 % below raiseAbove)
     * @param stationId only this station, when set
     * @param district only stations of this district, when set
     * @param coolDownSeconds quiet period after a clear (default 300)
     * @param source where the threshold comes from
     */
    public record RuleRequest(
            String id,
            String metric,
            Severity severity,
            Double raiseAbove,
            Double clearBelow,
            String stationId,
            String district,
            Long coolDownSeconds,
            String source) {}

    @GET
    @Operation(summary = "All alert rules")
    public Uni<List<AlertRule>> list() {
        return store.rules();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One alert rule")
    public Uni<AlertRule> get(@PathParam("id") String id) {
        return store.rule(id).map(rule -> {
            if (rule == null) {
                throw ProblemException.notFound("No alert rule '" + id + "'.");
            }
            return rule;
        });
    }

    @RolesAllowed(Roles.ADMIN)
    @POST
    @Operation(summary = "Create an alert rule (201); 409 if its id is taken")
    public Uni<Response> create(RuleRequest request) {
        AlertRule rule = validate(
                request,
                request == null || request.id() == null ? UUID.randomUUID().toString() : request.id());
        return store.insertRule(rule).chain(created -> {
            if (!created) {
                throw ProblemException.conflict(
                        "Alert rule '" + rule.id + "' exists; PUT /alert-rules/" + rule.id + " replaces it.");
            }
            return rules.refresh()
                    .replaceWith(Response.created(URI.create("/alert-rules/" + rule.id))
                            .entity(rule)
                            .build());
        });
    }

    @RolesAllowed(Roles.ADMIN)
    @PUT
    @Path("/{id}")
    @Operation(summary = "Replace an alert rule")
    public Uni<AlertRule> replace(@PathParam("id") String id, RuleRequest request) {
        AlertRule rule = validate(request, id);
        return store.replaceRule(rule).chain(replaced -> {
            if (!replaced) {
                throw ProblemException.notFound("No alert rule '" + id + "'; POST /alert-rules creates one.");
            }
            return rules.refresh().replaceWith(rule);
        });
    }

    @RolesAllowed(Roles.ADMIN)
    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete an alert rule; its open alerts clear with the station's next reading")
    public Uni<Response> delete(@PathParam("id") String id) {
        return store.deleteRule(id).chain(deleted -> {
            if (!deleted) {
                throw ProblemException.notFound("No alert rule '" + id + "'.");
            }
            return rules.refresh().replaceWith(Response.noContent().build());
        });
    }

    private static AlertRule validate(RuleRequest request, String id) {
        if (request == null) {
            throw ProblemException.badRequest("Body is empty; expected an alert rule.");
        }
        List<FieldError> errors = new ArrayList<>();
        if (id == null || !id.matches(ID_PATTERN)) {
            errors.add(new FieldError("$.id", "1-128 characters of A-Z a-z 0-9 . _ : -"));
        }
        SensorMetric metric = request.metric() == null ? null : SensorMetric.byName(request.metric());
        if (metric == null) {
            errors.add(new FieldError("$.metric", "required; one of " + List.of(SensorMetric.values())));
        }
        if (request.severity() == null) {
            errors.add(new FieldError("$.severity", "required; one of " + List.of(Severity.values())));
        }
        if (request.raiseAbove() == null) {
            errors.add(new FieldError("$.raiseAbove", "required"));
        } else if (metric != null && (request.raiseAbove() < metric.min() || request.raiseAbove() > metric.max())) {
            errors.add(new FieldError(
                    "$.raiseAbove",
                    "must be within " + metric.name() + "'s range " + metric.min() + ".." + metric.max() + " "
                            + metric.unit()));
        }
        if (request.raiseAbove() != null
                && request.clearBelow() != null
                && request.clearBelow() > request.raiseAbove()) {
            errors.add(new FieldError("$.clearBelow", "must not be above raiseAbove"));
        }
        if (request.coolDownSeconds() != null && request.coolDownSeconds() < 0) {
            errors.add(new FieldError("$.coolDownSeconds", "must be 0 or more"));
        }
        if (!errors.isEmpty()) {
            FieldError first = errors.get(0);
            throw ProblemException.invalid(first.field() + ": " + first.reason(), errors);
        }
        AlertRule rule = new AlertRule();
        rule.id = id;
        rule.metric = metric.name();
        rule.severity = request.severity();
        rule.raiseAbove = request.raiseAbove();
        rule.clearBelow =
                request.clearBelow() != null ? request.clearBelow() : AlertRules.defaultClearBelow(rule.raiseAbove);
        rule.stationId = request.stationId();
        rule.district = request.district();
        rule.coolDownSeconds =
                request.coolDownSeconds() != null ? request.coolDownSeconds() : AlertRules.DEFAULT_COOL_DOWN_SECONDS;
        rule.source = request.source();
        rule.updatedAt = Instant.now();
        return rule;
    }
}
