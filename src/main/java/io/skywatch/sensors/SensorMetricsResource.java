package io.skywatch.sensors;

import io.skywatch.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The metrics a station reading may carry, so clients need not hard-code units and ranges. */
@Path("/sensors/metrics")
@RolesAllowed({Roles.VIEWER, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class SensorMetricsResource {

    /** A metric, its unit and the range of values accepted as measurements. */
    public record MetricView(String name, String unit, double min, double max) {}

    private static final List<MetricView> METRICS = Arrays.stream(SensorMetric.values())
            .map(metric -> new MetricView(metric.name(), metric.unit(), metric.min(), metric.max()))
            .toList();

    @GET
    @Operation(summary = "Metrics a reading may carry: name, unit, accepted range")
    public List<MetricView> metrics() {
        return METRICS;
    }
}
