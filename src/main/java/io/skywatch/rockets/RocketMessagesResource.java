package io.skywatch.rockets;

import io.skywatch.config.SkywatchConfig;
import io.skywatch.ingest.IngestAdmission;
import io.skywatch.ingest.IngestMetrics;
import io.skywatch.ingest.IngestMetrics.Outcome;
import io.skywatch.ingest.JsonContentType;
import io.skywatch.problem.Problem;
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
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** {@code POST /messages}: the Rockets emitter's endpoint. */
@Path("/messages")
@RolesAllowed({Roles.EMITTER, Roles.ADMIN})
public class RocketMessagesResource {

    static final String STREAM = "rockets";

    private final RocketMessageCodec codec;
    private final RocketPublisher publisher;
    private final IngestAdmission admission;
    private final IngestMetrics metrics;
    private final IngestGuard guard;
    private final int maxMessageBytes;

    public RocketMessagesResource(
            RocketMessageCodec codec,
            RocketPublisher publisher,
            IngestAdmission admission,
            IngestMetrics metrics,
            IngestGuard guard,
            SkywatchConfig config) {
        this.codec = codec;
        this.publisher = publisher;
        this.admission = admission;
        this.metrics = metrics;
        this.guard = guard;
        this.maxMessageBytes = config.ingest().maxMessageBytes();
    }

    /** Accepted: the body of a 202. */
    public record Accepted(String channel, long messageNumber) {}

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Ingest one Rockets message",
            description = "Validates the envelope and answers 202 once Kafka has acknowledged it. A body without "
                    + "Content-Type is read as JSON. Duplicates and out-of-order delivery are expected.")
    @RequestBody(
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "https://skywatch.io/schemas/rocket-message.schema.json")))
    @APIResponse(responseCode = "202", description = "Durably in Kafka")
    @APIResponse(responseCode = "400", description = "Not JSON", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(
            responseCode = "401",
            description = "No valid API key or token",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(
            responseCode = "403",
            description = "Not an emitter, or the channel is outside the key's scope",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(
            responseCode = "413",
            description = "Body too large",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(
            responseCode = "415",
            description = "Not JSON content type",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(
            responseCode = "422",
            description = "Invalid envelope",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(
            responseCode = "429",
            description = "The key's quota is spent; see Retry-After",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(
            responseCode = "503",
            description = "Overloaded or Kafka unavailable; see Retry-After",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Uni<Response> ingest(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        RocketMessage message;
        try {
            guard.admit(STREAM);
            message = parse(codec, maxMessageBytes, contentType, body);
            guard.channels(List.of(message.channel()));
        } catch (ProblemException rejected) {
            metrics.record(STREAM, Outcome.REJECTED, 1);
            return Uni.createFrom().failure(rejected);
        }
        return metrics.recordPublish(STREAM, 1, admission.admit(STREAM, 1, () -> publisher.publish(message)))
                .replaceWith(() -> accepted(message));
    }

    /**
     * Everything {@link #ingest} does before publishing: media type, size, JSON parse and schema validation.
     * Public so the benchmark's HTTP-ceiling endpoint measures exactly this work.
     *
     * @throws ProblemException when the request is refused
     */
    public static RocketMessage parse(RocketMessageCodec codec, int maxMessageBytes, String contentType, byte[] body) {
        JsonContentType.require(contentType);
        if (body.length > maxMessageBytes) {
            throw ProblemException.tooLarge("Body is " + body.length + " bytes; the limit for one message is "
                    + maxMessageBytes + " bytes (skywatch.ingest.max-message-bytes).");
        }
        return codec.read(body);
    }

    /** The 202 answer to an accepted message. */
    public static Response accepted(RocketMessage message) {
        return Response.accepted(new Accepted(message.channel(), message.messageNumber()))
                .build();
    }
}
