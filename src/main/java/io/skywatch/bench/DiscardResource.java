package io.skywatch.bench;

import io.skywatch.config.SkywatchConfig;
import io.skywatch.problem.ProblemException;
import io.skywatch.rockets.RocketMessageCodec;
import io.skywatch.rockets.RocketMessagesResource;
import io.skywatch.security.Roles;
import io.skywatch.sensors.SensorReadingCodec;
import io.skywatch.sensors.SensorReadingsResource;
import io.skywatch.sensors.SensorReadingsResource.ParsedBatch;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The HTTP ceiling of the load tests: the ingest endpoints' own parsing and validation, answered at once without
 * publishing to Kafka. The ratio of the real endpoint's throughput to this one's is what the gateway's publish
 * path costs. Off unless {@code skywatch.bench.discard-endpoints=true}: it acknowledges events it drops.
 */
@Path("/bench/discard")
// The same roles as the ingest endpoints it stands in for, so the ceiling pays the same authentication.
@RolesAllowed({Roles.EMITTER, Roles.ADMIN})
public class DiscardResource {

    private final boolean enabled;
    private final RocketMessageCodec rocketCodec;
    private final int maxMessageBytes;
    private final SensorReadingCodec sensorCodec;
    private final SkywatchConfig.Sensors sensorLimits;

    @jakarta.inject.Inject
    public DiscardResource(SkywatchConfig config, RocketMessageCodec rocketCodec, SensorReadingCodec sensorCodec) {
        this(config.bench().discardEndpoints(), config, rocketCodec, sensorCodec);
    }

    DiscardResource(
            boolean enabled, SkywatchConfig config, RocketMessageCodec rocketCodec, SensorReadingCodec sensorCodec) {
        this.enabled = enabled;
        this.rocketCodec = rocketCodec;
        this.maxMessageBytes = config.ingest().maxMessageBytes();
        this.sensorCodec = sensorCodec;
        this.sensorLimits = config.sensors();
    }

    @POST
    @Path("/messages")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    // On the event loop like the real endpoints (they return Uni), so the ceiling has the same threading.
    @NonBlocking
    public Response rocketMessage(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        requireEnabled();
        return RocketMessagesResource.accepted(
                RocketMessagesResource.parse(rocketCodec, maxMessageBytes, contentType, body));
    }

    @POST
    @Path("/sensors/readings")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    @NonBlocking
    public Response sensorReadings(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        requireEnabled();
        ParsedBatch batch = SensorReadingsResource.parse(sensorCodec, sensorLimits, contentType, body);
        if (batch.valid().isEmpty()) {
            throw batch.noneValid();
        }
        return batch.accepted();
    }

    private void requireEnabled() {
        if (!enabled) {
            throw ProblemException.notFound(
                    "The benchmark endpoints are off; set skywatch.bench.discard-endpoints=true to serve them.");
        }
    }
}
