package io.skywatch.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skywatch.aggregates.Stats;
import io.skywatch.config.SkywatchConfig;
import io.skywatch.ingest.JsonContentType;
import io.skywatch.problem.Problem.FieldError;
import io.skywatch.problem.ProblemException;
import io.skywatch.problem.QueryParams;
import io.skywatch.rockets.RocketMessageCodec;
import io.skywatch.security.IngestGuard;
import io.skywatch.security.Roles;
import io.skywatch.sensors.SensorReadingCodec;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Streams defined at run time, and the built-in ones, under one API. */
@Path("/streams")
@RolesAllowed({Roles.VIEWER, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class StreamsResource {

    private static final int MAX_LIMIT = 10_000;

    private final StreamStore store;
    private final StreamRegistry registry;
    private final StreamTopics topics;
    private final ObjectMapper mapper;
    private final SkywatchConfig config;
    private final List<StreamView> builtIn;
    private final StreamIngest ingest;
    private final StreamAggregates aggregates;

    private final IngestGuard guard;

    public StreamsResource(
            StreamStore store,
            StreamRegistry registry,
            StreamTopics topics,
            ObjectMapper mapper,
            SkywatchConfig config,
            SensorReadingCodec sensorCodec,
            StreamIngest ingest,
            StreamAggregates aggregates,
            IngestGuard guard) {
        this.guard = guard;
        this.ingest = ingest;
        this.aggregates = aggregates;
        this.store = store;
        this.registry = registry;
        this.topics = topics;
        this.mapper = mapper;
        this.config = config;
        this.builtIn = List.of(
                builtIn(
                        "rockets",
                        "Rocket telemetry: POST /messages, reordered and deduplicated by message number",
                        rocketSchema(mapper),
                        "/metadata/channel",
                        "/metadata/messageNumber",
                        "/metadata/messageTime",
                        config.rockets().topic()),
                builtIn(
                        "sensors",
                        "Station readings: POST /sensors/readings, aggregated, alerting",
                        read(mapper, sensorCodec.schemaJson()),
                        "stationId",
                        "sequence",
                        "timestamp",
                        config.sensors().topic()));
    }

    /**
     * A stream as the API shows it.
     *
     * @param builtIn true for {@code rockets} and {@code sensors}: listed for a uniform API, not changeable here
     * @param topics raw, processed and rejected topics (the built-ins have their raw topic only)
     */
    public record StreamView(
            String name,
            String description,
            boolean builtIn,
            JsonNode schema,
            String keyField,
            String sequenceField,
            String eventTimeField,
            String eventTimeUnit,
            String idField,
            StreamDefinition.Enrichment enrich,
            List<StreamSpec.FilterSpec> filters,
            List<StreamDefinition.Aggregation> aggregations,
            String allowedLateness,
            boolean publishFiltered,
            Map<String, String> topics,
            Instant createdAt,
            Instant updatedAt) {}

    @GET
    @Operation(summary = "Every stream: the built-in rockets and sensors, then those defined at run time")
    public Uni<List<StreamView>> list() {
        return store.definitions().map(definitions -> {
            List<StreamView> views = new ArrayList<>(builtIn);
            definitions.forEach(definition -> views.add(view(definition)));
            return views;
        });
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "One stream")
    public Uni<StreamView> get(@PathParam("name") String name) {
        for (StreamView view : builtIn) {
            if (view.name().equals(name)) {
                return Uni.createFrom().item(view);
            }
        }
        return store.definition(name).map(definition -> {
            if (definition == null) {
                throw ProblemException.notFound("No stream named '" + name + "'.");
            }
            return view(definition);
        });
    }

    @RolesAllowed(Roles.ADMIN)
    @POST
    @Operation(summary = "Define a stream: 201, or 409 when one of that name exists; its topics are created")
    public Uni<Response> create(StreamSpec spec) {
        StreamDefinition definition = required(spec).toDefinition(spec.name());
        return store.definitions()
                .chain(existing -> {
                    if (existing.size() >= config.streams().maxStreams()) {
                        throw ProblemException.conflict("There are " + existing.size()
                                + " streams, the most allowed (skywatch.streams.max-streams).");
                    }
                    return topics.ensure(definition.name);
                })
                .chain(() -> {
                    definition.createdAt = Instant.now();
                    definition.updatedAt = definition.createdAt;
                    return store.insert(definition);
                })
                .chain(inserted -> {
                    if (!inserted) {
                        throw ProblemException.conflict("A stream named '" + definition.name + "' exists; PUT /streams/"
                                + definition.name + " replaces it.");
                    }
                    return registry.refresh();
                })
                .map(ignored -> Response.created(URI.create("/streams/" + definition.name))
                        .entity(view(definition))
                        .build());
    }

    @RolesAllowed(Roles.ADMIN)
    @PUT
    @Path("/{name}")
    @Operation(summary = "Replace a stream's definition (404 when there is none); events already stored stay")
    public Uni<StreamView> replace(@PathParam("name") String name, StreamSpec spec) {
        if (spec != null && spec.name() != null && !spec.name().equals(name)) {
            throw ProblemException.invalid(
                    "$.name: differs from the path", List.of(new FieldError("$.name", "must be '" + name + "'")));
        }
        StreamDefinition definition = required(spec).toDefinition(name);
        return store.definition(name)
                .chain(existing -> {
                    if (existing == null) {
                        throw ProblemException.notFound("No stream named '" + name + "'; POST /streams defines one.");
                    }
                    definition.createdAt = existing.createdAt;
                    definition.updatedAt = Instant.now();
                    return topics.ensure(name).chain(() -> store.replace(definition));
                })
                .chain(replaced -> registry.refresh())
                .map(ignored -> view(definition));
    }

    @RolesAllowed(Roles.ADMIN)
    @DELETE
    @Path("/{name}")
    @Operation(
            summary = "Delete a stream: its ingestion stops (404); stored events stay queryable until purged"
                    + " (DELETE /streams/{name}/events)")
    public Uni<Response> delete(@PathParam("name") String name) {
        if (StreamSpec.RESERVED.contains(name)) {
            throw ProblemException.conflict("'" + name + "' is built in and cannot be deleted.");
        }
        return store.delete(name).chain(deleted -> {
            if (!deleted) {
                throw ProblemException.notFound("No stream named '" + name + "'.");
            }
            return registry.refresh().map(ignored -> Response.noContent().build());
        });
    }

    @RolesAllowed({Roles.EMITTER, Roles.ADMIN})
    @POST
    @Path("/{name}/events")
    @Operation(
            summary = "Ingest events of a stream: one, a JSON array, or application/x-ndjson; 202 once Kafka"
                    + " acknowledged every valid one, listing the refused ones (422 when none is valid, 404 when the"
                    + " stream is not defined)")
    public Uni<Response> ingest(
            @PathParam("name") String name, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        guard.admit(name);
        boolean ndjson =
                contentType != null && contentType.split(";", 2)[0].trim().equalsIgnoreCase("application/x-ndjson");
        if (!ndjson) {
            JsonContentType.require(contentType);
        }
        return ingest.ingest(name, body, ndjson)
                .map(result -> Response.accepted(result).build());
    }

    /** An event as stored, with its enrichments. */
    public record EventView(String key, Long sequence, Instant time, Instant acceptedAt, JsonNode event) {}

    @GET
    @Path("/{name}/events")
    @Operation(
            summary = "A stream's stored events in [from, to) of event time (acceptance time when the stream has"
                    + " none), oldest first, optionally of one key; also after the stream was deleted")
    public Uni<List<EventView>> events(
            @PathParam("name") String name,
            @QueryParam("key") String key,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("limit") @DefaultValue("1000") int limit) {
        List<FieldError> errors = new ArrayList<>();
        Instant start = QueryParams.instant(from, "from", Instant.EPOCH, errors);
        Instant end = QueryParams.instant(to, "to", Instant.parse("9999-12-31T23:59:59Z"), errors);
        if (limit < 1 || limit > MAX_LIMIT) {
            errors.add(new FieldError("limit", "must be between 1 and " + MAX_LIMIT));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalidQuery(errors);
        }
        return store.events(name, key, Date.from(start), Date.from(end), limit)
                .map(found -> found.stream()
                        .map(event -> new EventView(
                                event.key, event.sequence, event.time, event.acceptedAt, read(mapper, event.json)))
                        .toList());
    }

    /**
     * A window of one aggregation, merged over the stream's partitions.
     *
     * @param complete false while some partition still has the window open
     * @param counts for count aggregations: occurrences per value of the field
     * @param stats for stats aggregations: count, min, max, mean, population standard deviation
     */
    public record AggregateView(
            String aggregation,
            Instant start,
            Instant end,
            boolean complete,
            Map<String, Long> counts,
            Stats.View stats) {}

    @GET
    @Path("/{name}/aggregates")
    @Operation(
            summary = "A stream's aggregation windows starting in [from, to) (default: the last hour), merged over"
                    + " partitions, open ones included; optionally one aggregation or one window length (e.g. 60s, 1m)")
    public Uni<List<AggregateView>> aggregates(
            @PathParam("name") String name,
            @QueryParam("aggregation") String aggregation,
            @QueryParam("window") String window,
            @QueryParam("from") String from,
            @QueryParam("to") String to) {
        List<FieldError> errors = new ArrayList<>();
        Instant end = QueryParams.instant(to, "to", Instant.now(), errors);
        Instant start = QueryParams.instant(from, "from", end.minus(Duration.ofHours(1)), errors);
        Duration length = window == null ? null : StreamSpec.windowLength(window);
        if (window != null && length == null) {
            errors.add(new FieldError("window", "a length like 60s, 1m or 1h"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalidQuery(errors);
        }
        return store.definition(name).chain(definition -> {
            if (definition == null) {
                throw ProblemException.notFound("No stream named '" + name + "'.");
            }
            Set<String> wanted = definition.aggregations.stream()
                    .filter(a -> aggregation == null || a.name.equals(aggregation))
                    .filter(a -> length == null || length.equals(StreamSpec.windowLength(a.window)))
                    .map(a -> a.name)
                    .collect(Collectors.toSet());
            return aggregates
                    .closed(name, start, end)
                    .chain(closed -> aggregates.open(name).map(open -> {
                        TreeMap<String, AggregateMerge> merged = new TreeMap<>();
                        closed.forEach(window1 -> {
                            if (wanted.contains(window1.aggregation)) {
                                merged.computeIfAbsent(
                                                window1.aggregation + "|" + window1.start,
                                                k -> new AggregateMerge(
                                                        window1.aggregation, window1.start, window1.end))
                                        .add(window1.counts, window1.stats, false);
                            }
                        });
                        open.forEach(partition -> partition.open.forEach(window1 -> {
                            if (wanted.contains(window1.aggregation)
                                    && !window1.start.isBefore(start)
                                    && window1.start.isBefore(end)) {
                                merged.computeIfAbsent(
                                                window1.aggregation + "|" + window1.start,
                                                k -> new AggregateMerge(
                                                        window1.aggregation, window1.start, window1.end))
                                        .add(window1.counts, window1.stats, true);
                            }
                        }));
                        return merged.values().stream()
                                .map(AggregateMerge::view)
                                .toList();
                    }));
        });
    }

    /** One aggregation window being merged over partitions. */
    private static final class AggregateMerge {
        private final String aggregation;
        private final Instant start;
        private final Instant end;
        private final Map<String, Long> counts = new TreeMap<>();
        private Stats stats;
        private boolean open;

        AggregateMerge(String aggregation, Instant start, Instant end) {
            this.aggregation = aggregation;
            this.start = start;
            this.end = end;
        }

        void add(List<StreamWindows.Count> partitionCounts, Stats partitionStats, boolean stillOpen) {
            if (partitionCounts != null) {
                partitionCounts.forEach(count -> counts.merge(count.value, count.count, Long::sum));
            }
            if (partitionStats != null) {
                if (stats == null) {
                    stats = new Stats();
                }
                stats.merge(partitionStats);
            }
            open |= stillOpen;
        }

        AggregateView view() {
            return new AggregateView(
                    aggregation, start, end, !open, stats == null ? counts : null, stats == null ? null : stats.view());
        }
    }

    /** How many events a purge deleted. */
    public record Purged(String stream, long deleted) {}

    @RolesAllowed(Roles.ADMIN)
    @DELETE
    @Path("/{name}/events")
    @Operation(summary = "Purge a stream's stored events")
    public Uni<Purged> purge(@PathParam("name") String name) {
        return store.purge(name).map(deleted -> new Purged(name, deleted));
    }

    private static StreamSpec required(StreamSpec spec) {
        if (spec == null) {
            throw ProblemException.badRequest("Body is empty; expected a stream definition.");
        }
        return spec;
    }

    private StreamView view(StreamDefinition definition) {
        return new StreamView(
                definition.name,
                definition.description,
                false,
                read(mapper, definition.schemaJson),
                definition.keyField,
                definition.sequenceField,
                definition.eventTimeField,
                definition.eventTimeUnit,
                definition.idField,
                definition.enrich,
                definition.filters.stream()
                        .map(filter -> new StreamSpec.FilterSpec(
                                filter.name,
                                filter.field,
                                filter.op.name(),
                                StreamFilters.value(filter),
                                filter.action.name(),
                                filter.reason))
                        .toList(),
                definition.aggregations,
                definition.allowedLateness,
                definition.publishFiltered,
                Map.of(
                        "raw", StreamTopics.raw(definition.name),
                        "processed", StreamTopics.processed(definition.name),
                        "rejected", StreamTopics.rejected(definition.name)),
                definition.createdAt,
                definition.updatedAt);
    }

    private static StreamView builtIn(
            String name,
            String description,
            JsonNode schema,
            String keyField,
            String sequenceField,
            String eventTimeField,
            String topic) {
        return new StreamView(
                name,
                description,
                true,
                schema,
                keyField,
                sequenceField,
                eventTimeField,
                null,
                null,
                null,
                List.of(),
                List.of(),
                null,
                false,
                Map.of("raw", topic),
                null,
                null);
    }

    private static JsonNode rocketSchema(ObjectMapper mapper) {
        try (InputStream in = StreamsResource.class.getClassLoader().getResourceAsStream(RocketMessageCodec.SCHEMA)) {
            return mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(ObjectMapper mapper, String json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
