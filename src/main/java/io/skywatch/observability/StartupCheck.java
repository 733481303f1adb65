package io.skywatch.observability;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

/**
 * Started once every start-up step has run (topics provisioned, Mongo indexes created, default rules seeded:
 * they observe {@link StartupEvent} with lower priorities and block until done), so a Kubernetes startup probe
 * holds liveness and readiness probes off until then, however long a cold broker takes.
 */
@Startup
@ApplicationScoped
public class StartupCheck implements HealthCheck {

    private final AtomicBoolean started = new AtomicBoolean();

    void started(@Observes @Priority(Integer.MAX_VALUE) StartupEvent event) {
        started.set(true);
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Start-up steps").status(started.get()).build();
    }
}
