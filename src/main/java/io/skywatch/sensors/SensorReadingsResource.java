package io.skywatch.sensors;

import io.skywatch.config.SkywatchConfig;
import io.skywatch.ingest.IngestAdmission;
import io.skywatch.ingest.IngestMetrics;
import io.skywatch.ingest.IngestMetrics.Outcome;
import io.skywatch.ingest.JsonContentType;
import io.skywatch.ingest.JsonSchemas;
import io.skywatch.problem.Problem;
import io.skywatch.problem.Problem.FieldError;
import io.skywatch.problem.ProblemException;
import io.skywatch.security.IngestGuard;
import io.skywatch.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** {@code POST /sensors/readings}: one reading, a JSON array, or NDJSON, validated item by item. */
@Path("/sensors/readings")
@RolesAllowed({Roles.EMITTER, Roles.ADMIN})
public class SensorReadingsResource {

    static final String STREAM = "sensors";
    static final String NDJSON = "application/x-ndjson";

    private final SensorReadingCodec codec;
    private final SensorPublisher publisher;
    private final IngestAdmission admission;
    private final IngestMetrics metrics;
    private final IngestGuard guard;
    private final SkywatchConfig.Sensors limits;

    public SensorReadingsResource(
            SensorReadingCodec codec,
            SensorPublisher publisher,
            IngestAdmission admission,
            IngestMetrics metrics,
            IngestGuard guard,
            SkywatchConfig config) {
        this.codec = codec;
        this.publisher = publisher;
        this.admission = admission;
        this.metrics = metrics;
        this.guard = guard;
        this.limits = config.sensors();
    }

    /**
     * The answer to a batch.
     *
     * @param accepted readings durably in Kafka
     * @param rejected readings refused; each is listed in {@code rejections}
     * @param rejections index of each refused item (array index or NDJSON line, from 0) and why
     */
    public record BatchResult(int accepted, int rejected, List<Rejection> rejections) {}

    /** A refused item of a batch. */
    public record Rejection(int index, List<FieldError> errors) {}

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Ingest station readings",
            description = "One reading, a JSON array of readings, or application/x-ndjson. Each item is validated on "
                    + "its own; 202 once Kafka acknowledged every valid one, listing the refused ones. 422 when none "
                    + "is valid.")
    @APIResponse(responseCode = "202", description = "Valid readings are durably in Kafka")
    @APIResponse(
            responseCode = "422",
            description = "No valid reading",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(
            responseCode = "503",
            description = "Overloaded or Kafka unavailable; see Retry-After",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Uni<Response> ingest(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        ParsedBatch batch;
        try {
            guard.admit(STREAM);
            batch = parse(codec, limits, contentType, body);
            guard.stations(batch.valid().stream().map(SensorReading::stationId).toList());
        } catch (ProblemException rejected) {
            metrics.record(STREAM, Outcome.REJECTED, 1);
            return Uni.createFrom().failure(rejected);
        }
        if (!batch.rejections().isEmpty()) {
            metrics.record(STREAM, Outcome.REJECTED, batch.rejections().size());
        }
        if (batch.valid().isEmpty()) {
            return Uni.createFrom().failure(batch.noneValid());
        }
        List<SensorReading> valid = batch.valid();
        return metrics.recordPublish(
                        STREAM, valid.size(), admission.admit(STREAM, valid.size(), () -> publisher.publishAll(valid)))
                .replaceWith(batch::accepted);
    }

    /** A parsed batch: the readings to publish and the refused items. */
    public record ParsedBatch(int items, List<SensorReading> valid, List<Rejection> rejections) {

        /** The 422 when no item is valid. */
        public ProblemException noneValid() {
            List<FieldError> all =
                    rejections.stream().flatMap(r -> r.errors().stream()).toList();
            return ProblemException.invalid(
                    (items == 1 ? "" : "None of the " + items + " readings is valid; first: ")
                            + JsonSchemas.summary(all),
                    all);
        }

        /** The 202 once the valid readings are durably in Kafka. */
        public Response accepted() {
            return Response.accepted(new BatchResult(valid.size(), rejections.size(), rejections))
                    .build();
        }
    }

    /**
     * Everything {@link #ingest} does before publishing: media type, size, parse and per-item validation.
     * Public so the benchmark's HTTP-ceiling endpoint measures exactly this work.
     *
     * @throws ProblemException when the whole request is refused
     */
    public static ParsedBatch parse(
            SensorReadingCodec codec, SkywatchConfig.Sensors limits, String contentType, byte[] body) {
        boolean ndjson = isNdjson(contentType);
        if (!ndjson) {
            JsonContentType.require(contentType);
        }
        if (body.length > limits.maxBatchBytes()) {
            throw ProblemException.tooLarge("Body is " + body.length + " bytes; the limit is " + limits.maxBatchBytes()
                    + " bytes (skywatch.sensors.max-batch-bytes).");
        }
        List<SensorReadingCodec.Item> items =
                codec.readAll(body, ndjson, Instant.now().plus(limits.maxClockSkew()), limits.maxBatchItems());
        List<SensorReading> valid = items.stream()
                .filter(SensorReadingCodec.Item::accepted)
                .map(SensorReadingCodec.Item::reading)
                .toList();
        List<Rejection> rejections = items.stream()
                .filter(item -> !item.accepted())
                .map(item -> new Rejection(item.index(), item.errors()))
                .toList();
        return new ParsedBatch(items.size(), valid, rejections);
    }

    private static boolean isNdjson(String contentType) {
        return contentType != null
                && contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT).equals(NDJSON);
    }
}
