package io.skywatch.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.skywatch.config.SkywatchConfig;
import io.skywatch.ingest.IngestAdmission;
import io.skywatch.ingest.IngestMetrics;
import io.skywatch.ingest.IngestMetrics.Outcome;
import io.skywatch.ingest.JsonBatch;
import io.skywatch.ingest.JsonSchemas;
import io.skywatch.problem.Problem.FieldError;
import io.skywatch.problem.ProblemException;
import io.skywatch.security.MongoSafeJson;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /streams/{name}/events}: each event is checked against its stream's schema and fields, then its
 * filters: a {@code reject} filter refuses it with the filter's reason, a {@code drop} filter counts it (and, if
 * the stream asks, sends it to the rejected topic); the rest go to the raw topic, 2xx only after the broker's ack.
 */
@ApplicationScoped
public class StreamIngest {

    /**
     * What became of a batch.
     *
     * @param filtered valid events a {@code drop} filter left out
     */
    public record BatchResult(int accepted, int rejected, int filtered, List<Rejection> rejections) {}

    /** A refused item of a batch. */
    public record Rejection(int index, List<FieldError> errors) {}

    private final StreamRegistry registry;
    private final StreamStore store;
    private final StreamPublisher publisher;
    private final IngestAdmission admission;
    private final IngestMetrics metrics;
    private final ObjectMapper mapper;
    private final ObjectReader strictReader;
    private final SkywatchConfig.Streams limits;

    public StreamIngest(
            StreamRegistry registry,
            StreamStore store,
            StreamPublisher publisher,
            IngestAdmission admission,
            IngestMetrics metrics,
            ObjectMapper mapper,
            SkywatchConfig config) {
        this.registry = registry;
        this.store = store;
        this.publisher = publisher;
        this.admission = admission;
        this.metrics = metrics;
        this.mapper = mapper;
        this.strictReader = JsonSchemas.strictReader(mapper);
        this.limits = config.streams();
    }

    Uni<BatchResult> ingest(String name, byte[] body, boolean ndjson) {
        return active(name).chain(stream -> {
            if (body.length > limits.maxBatchBytes()) {
                throw ProblemException.tooLarge("Body is " + body.length + " bytes; the limit is "
                        + limits.maxBatchBytes() + " bytes (skywatch.streams.max-batch-bytes).");
            }
            List<JsonBatch.Element> elements = JsonBatch.split(strictReader, body, ndjson, "event");
            if (elements.size() > limits.maxBatchItems()) {
                throw ProblemException.tooLarge("Batch holds " + elements.size() + " events; the limit is "
                        + limits.maxBatchItems() + " (skywatch.streams.max-batch-items).");
            }
            StreamDefinition definition = stream.definition();
            List<StreamPublisher.Outgoing> accepted = new ArrayList<>();
            List<StreamPublisher.Outgoing> filtered = new ArrayList<>();
            List<Rejection> rejections = new ArrayList<>();
            for (JsonBatch.Element element : elements) {
                List<FieldError> errors = element.unreadable() != null
                        ? List.of(element.unreadable())
                        : check(stream, element.node(), element.path());
                if (!errors.isEmpty()) {
                    rejections.add(new Rejection(element.index(), errors));
                    continue;
                }
                String key =
                        EventFields.get(element.node(), definition.keyField).asText();
                StreamDefinition.Filter match = StreamFilters.firstMatch(definition.filters, element.node());
                if (match == null) {
                    accepted.add(
                            new StreamPublisher.Outgoing(key, element.node().toString(), null));
                } else if (match.action == StreamDefinition.FilterAction.REJECT) {
                    rejections.add(new Rejection(
                            element.index(),
                            List.of(new FieldError(element.path() + field(match.field), match.reason))));
                } else {
                    filtered.add(
                            new StreamPublisher.Outgoing(key, element.node().toString(), match.reason));
                }
            }
            metrics.record(name, Outcome.REJECTED, rejections.size());
            metrics.record(name, Outcome.FILTERED, filtered.size());
            if (accepted.isEmpty() && filtered.isEmpty()) {
                List<FieldError> all =
                        rejections.stream().flatMap(r -> r.errors().stream()).toList();
                throw ProblemException.invalid(
                        (elements.size() == 1 ? "" : "None of the " + elements.size() + " events is valid; first: ")
                                + JsonSchemas.summary(all),
                        all);
            }
            Uni<Void> filteredPublished = definition.publishFiltered
                    ? publisher.publish(StreamTopics.rejected(name), filtered)
                    : Uni.createFrom().voidItem();
            return metrics.recordPublish(
                            name,
                            accepted.size(),
                            admission.admit(
                                    "streams",
                                    accepted.size() + filtered.size(),
                                    () -> publisher
                                            .publish(StreamTopics.raw(name), accepted)
                                            .chain(() -> filteredPublished)))
                    .replaceWith(new BatchResult(accepted.size(), rejections.size(), filtered.size(), rejections));
        });
    }

    /** The stream, also when it was defined on another replica since this one last refreshed. */
    private Uni<StreamRegistry.Active> active(String name) {
        StreamRegistry.Active known = registry.get(name);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return store.definition(name).chain(stored -> {
            if (stored == null) {
                throw ProblemException.notFound(
                        "No stream named '" + name + "' (never defined, or deleted); POST /streams defines one.");
            }
            return registry.refresh().map(ignored -> {
                StreamRegistry.Active loaded = registry.get(name);
                if (loaded == null) {
                    throw ProblemException.notFound(
                            "Stream '" + name + "' is not usable: its schema does not compile.");
                }
                return loaded;
            });
        });
    }

    private List<FieldError> check(StreamRegistry.Active stream, JsonNode event, String path) {
        List<FieldError> errors = new ArrayList<>(MongoSafeJson.numberViolations(event, path));
        if (!errors.isEmpty()) {
            return errors;
        }
        errors.addAll(JsonSchemas.violations(stream.schema(), event, path));
        if (!errors.isEmpty()) {
            return errors;
        }
        StreamDefinition definition = stream.definition();
        JsonNode key = EventFields.get(event, definition.keyField);
        if (!EventFields.present(key)
                || !key.isValueNode()
                || key.asText().isEmpty()
                || key.asText().length() > 256) {
            errors.add(new FieldError(
                    path + field(definition.keyField),
                    "the stream's key field: required, a value of 1-256 characters"));
        }
        if (definition.sequenceField != null) {
            JsonNode sequence = EventFields.get(event, definition.sequenceField);
            if (!sequence.isIntegralNumber() || !sequence.canConvertToLong() || sequence.asLong() < 1) {
                errors.add(new FieldError(
                        path + field(definition.sequenceField),
                        "the stream's sequence field: required, an integer ≥ 1 (each key counts from 1)"));
            }
        }
        if (definition.eventTimeField != null
                && EventTimes.parse(EventFields.get(event, definition.eventTimeField), definition.eventTimeUnit)
                        == null) {
            errors.add(new FieldError(
                    path + field(definition.eventTimeField),
                    "the stream's event time: required, ISO-8601 with an offset or an epoch number"));
        }
        if (definition.idField != null) {
            JsonNode id = EventFields.get(event, definition.idField);
            if (!EventFields.present(id) || !id.isValueNode()) {
                errors.add(new FieldError(path + field(definition.idField), "the stream's id field: required"));
            }
        }
        return errors;
    }

    /** A field reference as a suffix of a JSON path: {@code .name}, or {@code .a.b} for {@code /a/b}. */
    private static String field(String reference) {
        return reference.startsWith("/") ? reference.replace('/', '.') : "." + reference;
    }
}
