package io.skywatch.observability;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while no pipeline is stuck (see {@link ConsumerProgress}): a replica whose consumer stores nothing
 * under a growing backlog should be restarted or looked at, not kept in rotation as if all were well. Kafka and
 * MongoDB reachability have their own checks (Quarkus's).
 */
@Readiness
@ApplicationScoped
public class PipelineReadiness implements HealthCheck {

    private final ConsumerLagMonitor monitor;

    public PipelineReadiness(ConsumerLagMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public HealthCheckResponse call() {
        Map<String, List<String>> problems = monitor.problems();
        Map<String, Long> lags = monitor.totalLag();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Pipelines progress");
        boolean up = true;
        for (Map.Entry<String, List<String>> entry : problems.entrySet()) {
            String stream = entry.getKey();
            response.withData(stream + ".lag", lags.getOrDefault(stream, 0L));
            if (!entry.getValue().isEmpty()) {
                up = false;
                response.withData(stream + ".stuck", String.join("; ", entry.getValue()));
            }
        }
        return response.status(up).build();
    }
}
