package io.skywatch.sensors;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.skywatch.aggregates.AggregateStore;
import io.skywatch.aggregates.Stats;
import io.skywatch.aggregates.WindowSize;
import io.skywatch.problem.Problem.FieldError;
import io.skywatch.problem.ProblemException;
import io.skywatch.problem.QueryParams;
import io.skywatch.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Station registry and per-station queries. */
@Path("/stations")
@RolesAllowed({Roles.VIEWER, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class StationsResource {

    private static final java.util.regex.Pattern METADATA_KEY = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int MAX_METADATA_ENTRIES = 50;
    private static final int MAX_METADATA_VALUE = 1024;

    private static final int MAX_LIMIT = 10_000;
    private static final String ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9._:-]{0,127}";

    private final SensorStore store;
    private final StationDistricts districts;
    private final AggregateStore aggregateStore;

    public StationsResource(SensorStore store, StationDistricts districts, AggregateStore aggregateStore) {
        this.store = store;
        this.districts = districts;
        this.aggregateStore = aggregateStore;
    }

    /**
     * A station registration as clients send it.
     *
     * @param id station id, as readings carry it in {@code stationId}
     * @param name human name
     * @param latitude WGS84 latitude
     * @param longitude WGS84 longitude
     * @param district district it belongs to (groups stations in reports and alert rules)
     * @param metadata free-form labels
     */
    public record Registration(
            String id, String name, Double latitude, Double longitude, String district, Map<String, String> metadata) {}

    /** A station as the API shows it. */
    public record StationView(
            String id,
            String name,
            Double latitude,
            Double longitude,
            String district,
            Map<String, String> metadata,
            boolean autoRegistered,
            Instant registeredAt,
            Instant updatedAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Latest> latest) {

        static StationView of(Station station) {
            return of(station, null);
        }

        static StationView of(Station station, Map<String, Latest> latest) {
            return new StationView(
                    station.id,
                    station.name,
                    station.latitude,
                    station.longitude,
                    station.district,
                    station.metadata,
                    station.autoRegistered,
                    station.registeredAt,
                    station.updatedAt,
                    latest);
        }
    }

    @RolesAllowed(Roles.ADMIN)
    @POST
    @Operation(summary = "Register a station, or replace its registration")
    public Uni<Response> register(Registration registration) {
        Station station = validate(registration);
        return store.station(station.id).chain(existing -> {
            station.registeredAt = existing != null ? existing.registeredAt : Instant.now();
            station.updatedAt = Instant.now();
            return store.saveStation(station)
                    .map(created -> (created ? Response.created(URI.create("/stations/" + station.id)) : Response.ok())
                            .entity(StationView.of(station))
                            .build());
        });
    }

    @GET
    @Operation(
            summary = "Registered stations, by id, optionally of one district",
            description = "include=latest adds each station's latest value per metric (one query for a whole"
                    + " dashboard instead of one per station).")
    public Uni<List<StationView>> list(
            @QueryParam("district") String district,
            @QueryParam("include") String include,
            @QueryParam("offset") @DefaultValue("0") int offset,
            @QueryParam("limit") @DefaultValue("1000") int limit) {
        if (offset < 0 || limit < 1 || limit > MAX_LIMIT) {
            throw ProblemException.invalidQuery(List.of(new FieldError(
                    offset < 0 ? "offset" : "limit",
                    offset < 0 ? "must be 0 or more" : "must be between 1 and " + MAX_LIMIT)));
        }
        if (include != null && !include.equals("latest")) {
            throw ProblemException.invalidQuery(List.of(new FieldError("include", "must be 'latest' or absent")));
        }
        Uni<List<Station>> found = store.stations(district, offset, limit);
        if (include == null) {
            return found.map(stations -> stations.stream().map(StationView::of).toList());
        }
        return found.chain(stations -> store.latestValues(
                        stations.stream().map(station -> station.id).toList())
                .map(latest -> stations.stream()
                        .map(station -> StationView.of(station, latestView(latest.getOrDefault(station.id, Map.of()))))
                        .toList()));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One station's registration")
    public Uni<StationView> get(@PathParam("id") String id) {
        return store.station(id).map(station -> {
            if (station == null) {
                throw ProblemException.notFound("No station '" + id + "'.");
            }
            return StationView.of(station);
        });
    }

    /** A metric's latest value. */
    public record Latest(double value, String unit, Instant timestamp) {}

    /** A station's latest values and how far its stream has got. */
    public record LatestView(
            String stationId,
            Map<String, Latest> metrics,
            long readings,
            long lastSequence,
            int pendingReadings,
            Instant updatedAt) {}

    @GET
    @Path("/{id}/latest")
    @Operation(summary = "Latest value of each metric of a station, by measurement time")
    public Uni<LatestView> latest(@PathParam("id") String id) {
        return store.state(id).map(state -> {
            if (state == null) {
                throw ProblemException.notFound("No readings from station '" + id + "' yet.");
            }
            return new LatestView(
                    id,
                    latestView(state.latest),
                    state.readings,
                    state.lastSequence,
                    state.pending.size(),
                    state.updatedAt);
        });
    }

    private static Map<String, Latest> latestView(Map<String, StationState.LatestValue> latest) {
        Map<String, Latest> metrics = new LinkedHashMap<>();
        latest.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            SensorMetric metric = SensorMetric.byName(entry.getKey());
            metrics.put(
                    entry.getKey(),
                    new Latest(
                            entry.getValue().value, metric == null ? null : metric.unit(), entry.getValue().timestamp));
        });
        return metrics;
    }

    /** One stored reading. */
    public record ReadingView(Instant timestamp, Long sequence, Map<String, Double> metrics, Instant acceptedAt) {}

    @GET
    @Path("/{id}/readings")
    @Operation(summary = "A station's readings measured in [from, to), oldest first (default: the last hour)")
    public Uni<List<ReadingView>> readings(
            @PathParam("id") String id,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("metric") String metric,
            @QueryParam("limit") @DefaultValue("1000") int limit) {
        Range range = Range.of(from, to, Duration.ofHours(1), metric, limit, new ArrayList<>());
        return store.readings(id, range.start(), range.end(), limit)
                .map(found -> found.stream()
                        .filter(r -> metric == null || r.metrics.containsKey(metric))
                        .map(r -> new ReadingView(
                                r.timestamp,
                                r.sequence,
                                metric == null ? r.metrics : Map.of(metric, r.metrics.get(metric)),
                                r.acceptedAt))
                        .toList());
    }

    /**
     * A window of a station's readings.
     *
     * @param complete false while the window is still open: more readings may come into it
     * @param metrics per metric: count, min, max, mean, population standard deviation
     */
    public record AggregateView(
            String window, Instant start, Instant end, boolean complete, Map<String, Stats.View> metrics) {}

    @GET
    @Path("/{id}/aggregates")
    @Operation(
            summary = "A station's 1-minute or 1-hour aggregates starting in [from, to), oldest first, open ones"
                    + " included (default: the last hour of minutes, the last day of hours)")
    public Uni<List<AggregateView>> aggregates(
            @PathParam("id") String id,
            @QueryParam("window") @DefaultValue("1m") String window,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("metric") String metric,
            @QueryParam("limit") @DefaultValue("1440") int limit) {
        List<FieldError> errors = new ArrayList<>();
        WindowSize size = WindowSize.byLabel(window);
        if (size == null) {
            errors.add(new FieldError("window", "must be 1m or 1h"));
        }
        WindowSize windowSize = size == null ? WindowSize.MINUTE : size;
        Range range = Range.of(
                from,
                to,
                windowSize == WindowSize.HOUR ? Duration.ofDays(1) : Duration.ofHours(1),
                metric,
                limit,
                errors);
        Instant start = range.start();
        Instant end = range.end();
        return aggregateStore
                .ofStation(id, windowSize, start, end, limit)
                .chain(closed -> store.state(id).map(state -> {
                    TreeMap<Instant, AggregateView> byStart = new TreeMap<>();
                    closed.forEach(aggregate -> byStart.put(
                            aggregate.start,
                            new AggregateView(
                                    windowSize.label(),
                                    aggregate.start,
                                    aggregate.end,
                                    true,
                                    views(aggregate.metrics, metric))));
                    if (state != null && state.windows != null) {
                        state.windows.openWindows(windowSize).forEach((windowStart, metrics) -> {
                            if (!windowStart.isBefore(start) && windowStart.isBefore(end)) {
                                byStart.putIfAbsent(
                                        windowStart,
                                        new AggregateView(
                                                windowSize.label(),
                                                windowStart,
                                                windowSize.endOf(windowStart),
                                                false,
                                                views(metrics, metric)));
                            }
                        });
                    }
                    return byStart.values().stream()
                            .filter(view -> !view.metrics().isEmpty())
                            .limit(limit)
                            .toList();
                }));
    }

    private static Map<String, Stats.View> views(Map<String, Stats> metrics, String only) {
        Map<String, Stats.View> views = new TreeMap<>();
        metrics.forEach((name, stats) -> {
            if (only == null || only.equals(name)) {
                views.put(name, stats.view());
            }
        });
        return views;
    }

    /** A query's time range, checked with its metric and limit; 400 naming every bad parameter. */
    private record Range(Instant start, Instant end) {

        static Range of(
                String from, String to, Duration defaultSpan, String metric, int limit, List<FieldError> errors) {
            Instant end = QueryParams.instant(to, "to", Instant.now(), errors);
            Instant start = QueryParams.instant(from, "from", end.minus(defaultSpan), errors);
            if (errors.isEmpty() && !start.isBefore(end)) {
                errors.add(new FieldError("from", "must be before to"));
            }
            if (metric != null && SensorMetric.byName(metric) == null) {
                errors.add(new FieldError("metric", "unknown metric '" + metric + "'"));
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                errors.add(new FieldError("limit", "must be between 1 and " + MAX_LIMIT));
            }
            if (!errors.isEmpty()) {
                throw ProblemException.invalidQuery(errors);
            }
            return new Range(start, end);
        }
    }

    private static Station validate(Registration registration) {
        if (registration == null) {
            throw ProblemException.badRequest("Body is empty; expected a station registration.");
        }
        List<FieldError> errors = new ArrayList<>();
        if (registration.id() == null || !registration.id().matches(ID_PATTERN)) {
            errors.add(new FieldError("$.id", "required; 1-128 characters of A-Z a-z 0-9 . _ : -"));
        }
        if (registration.name() == null
                || registration.name().isBlank()
                || registration.name().length() > 200) {
            errors.add(new FieldError("$.name", "required, at most 200 characters"));
        }
        if ((registration.latitude() == null) != (registration.longitude() == null)) {
            errors.add(new FieldError("$.latitude", "latitude and longitude go together"));
        }
        if (registration.latitude() != null && Math.abs(registration.latitude()) > 90) {
            errors.add(new FieldError("$.latitude", "must be between -90 and 90"));
        }
        if (registration.longitude() != null && Math.abs(registration.longitude()) > 180) {
            errors.add(new FieldError("$.longitude", "must be between -180 and 180"));
        }
        if (registration.metadata() != null) {
            checkMetadata(registration.metadata(), errors);
        }
        if (!errors.isEmpty()) {
            FieldError first = errors.get(0);
            throw ProblemException.invalid(first.field() + ": " + first.reason(), errors);
        }
        Station station = new Station();
        station.id = registration.id();
        station.name = registration.name();
        station.latitude = registration.latitude();
        station.longitude = registration.longitude();
        station.district = registration.district();
        station.metadata = registration.metadata() == null ? Map.of() : registration.metadata();
        return station;
    }

    /**
     * Metadata keys become field names of the station's MongoDB document: nothing MongoDB could read as an operator
     * or a path, and bounded in number and size.
     */
    private static void checkMetadata(Map<String, String> metadata, List<FieldError> errors) {
        if (metadata.size() > MAX_METADATA_ENTRIES) {
            errors.add(new FieldError("$.metadata", "at most " + MAX_METADATA_ENTRIES + " entries"));
            return;
        }
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            if (!METADATA_KEY.matcher(entry.getKey()).matches()) {
                errors.add(new FieldError(
                        "$.metadata", "keys must be 1-64 characters of A-Z a-z 0-9 _ - (no '$', no '.')"));
                return;
            }
            if (entry.getValue() != null && entry.getValue().length() > MAX_METADATA_VALUE) {
                errors.add(new FieldError(
                        "$.metadata." + entry.getKey(), "at most " + MAX_METADATA_VALUE + " characters"));
                return;
            }
        }
    }
}
