package io.skywatch.reports;

import io.skywatch.aggregates.AggregateStore;
import io.skywatch.aggregates.Stats;
import io.skywatch.aggregates.WindowSize;
import io.skywatch.alerts.AlertRule;
import io.skywatch.alerts.AlertRules;
import io.skywatch.problem.Problem.FieldError;
import io.skywatch.problem.ProblemException;
import io.skywatch.security.Roles;
import io.skywatch.sensors.SensorStore;
import io.skywatch.sensors.StationState;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The "gold layer": reports built from the stream's aggregates. */
@Path("/reports")
@RolesAllowed({Roles.VIEWER, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class ReportsResource {

    private final AggregateStore aggregates;
    private final SensorStore sensors;
    private final AlertRules rules;

    public ReportsResource(AggregateStore aggregates, SensorStore sensors, AlertRules rules) {
        this.aggregates = aggregates;
        this.sensors = sensors;
        this.rules = rules;
    }

    @GET
    @Path("/daily/{date}")
    @Operation(
            summary = "A UTC day across stations and districts: per metric min/max/mean, station-hours above the"
                    + " metric's threshold, worst stations")
    public Uni<DailyReport> daily(@PathParam("date") String date) {
        LocalDate day;
        try {
            day = LocalDate.parse(date);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidQuery(List.of(new FieldError("date", "must be a date like 2026-11-25")));
        }
        Instant from = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Map<String, Double> thresholds = thresholds(rules.current());
        return aggregates
                .ofAllStations(WindowSize.HOUR, from, to)
                .chain(closed -> sensors.openWindowsSince(from)
                        .chain(open -> sensors.districts().map(districts -> {
                            Map<String, Map<Instant, Map<String, Stats>>> hourly = new HashMap<>();
                            closed.forEach(
                                    aggregate -> hourly.computeIfAbsent(aggregate.stationId, s -> new HashMap<>())
                                            .put(aggregate.start, aggregate.metrics));
                            boolean complete = true;
                            for (StationState state : open) {
                                for (var window : state.windows
                                        .openWindows(WindowSize.HOUR)
                                        .entrySet()) {
                                    if (window.getKey().isBefore(from)
                                            || !window.getKey().isBefore(to)) {
                                        continue;
                                    }
                                    complete = false;
                                    Map<String, Stats> hour = hourly.computeIfAbsent(
                                                    state.stationId, s -> new HashMap<>())
                                            .computeIfAbsent(window.getKey(), h -> new HashMap<>());
                                    window.getValue()
                                            .forEach((metric, stats) -> hour.computeIfAbsent(metric, m -> new Stats())
                                                    .merge(stats));
                                }
                            }
                            return DailyReport.build(day, from, to, complete, hourly, districts, thresholds);
                        })));
    }

    /** Per metric, the lowest raise level among rules that apply to every station. */
    static Map<String, Double> thresholds(List<AlertRule> rules) {
        Map<String, Double> thresholds = new HashMap<>();
        for (AlertRule rule : rules) {
            if (rule.stationId == null && rule.district == null) {
                thresholds.merge(rule.metric, rule.raiseAbove, Math::min);
            }
        }
        return thresholds;
    }
}
