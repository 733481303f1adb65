package io.skywatch.security;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.skywatch.config.SkywatchConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Checks the security settings before anything is served: an open gateway says so loudly; a secured one that no
 * admin could ever authenticate to (no bootstrap key, no token verification key), or whose bootstrap key is weak,
 * refuses to start.
 */
@ApplicationScoped
public class SecurityStartup {

    /** Shortest bootstrap admin key accepted. */
    static final int MIN_ADMIN_KEY_LENGTH = 32;

    void check(@Observes @Priority(100) StartupEvent startup, SkywatchConfig skywatch, Config config) {
        List<String> problems =
                problems(skywatch.security().enabled(), skywatch.security().adminKey(), jwtKeyConfigured(config));
        if (!problems.isEmpty()) {
            throw new IllegalStateException(
                    "Security is misconfigured, refusing to start: " + String.join(" ", problems));
        }
        if (!skywatch.security().enabled()) {
            Log.warn("\n"
                    + "*******************************************************************************\n"
                    + "* SECURITY IS OFF (skywatch.security.enabled=false): this gateway is OPEN.   *\n"
                    + "* Anyone who can reach it may ingest, read, define streams and manage keys.   *\n"
                    + "* Never expose it like this; set SKYWATCH_SECURITY_ENABLED=true and           *\n"
                    + "* SKYWATCH_SECURITY_ADMIN_KEY (or a JWT verification key) to secure it.       *\n"
                    + "*******************************************************************************");
        } else {
            Log.infof(
                    "Security on: API keys (X-API-Key)%s%s",
                    skywatch.security().adminKey().isPresent() ? ", bootstrap admin key" : "",
                    jwtKeyConfigured(config) ? ", bearer tokens (JWT)" : "");
        }
    }

    /** A token verification key is set ({@code NONE} is smallrye-jwt's "no key"). */
    private static boolean jwtKeyConfigured(Config config) {
        return config.getOptionalValue("mp.jwt.verify.publickey", String.class)
                        .filter(key -> !key.isBlank() && !key.equals("NONE"))
                        .isPresent()
                || config.getOptionalValue("mp.jwt.verify.publickey.location", String.class)
                        .filter(location -> !location.isBlank() && !location.equals("NONE"))
                        .isPresent();
    }

    /** What stops a start with these settings; empty when none. */
    static List<String> problems(boolean enabled, Optional<String> adminKey, boolean jwtKeyConfigured) {
        List<String> problems = new ArrayList<>();
        if (!enabled) {
            return problems;
        }
        if (adminKey.isPresent() && adminKey.get().strip().length() < MIN_ADMIN_KEY_LENGTH) {
            problems.add("skywatch.security.admin-key (SKYWATCH_SECURITY_ADMIN_KEY) must be at least "
                    + MIN_ADMIN_KEY_LENGTH + " characters, e.g. `openssl rand -base64 32`.");
        }
        if (adminKey.isEmpty() && !jwtKeyConfigured) {
            problems.add(
                    "No admin could authenticate: set skywatch.security.admin-key (SKYWATCH_SECURITY_ADMIN_KEY) or a"
                            + " JWT verification key (SKYWATCH_JWT_PUBLIC_KEY / mp.jwt.verify.publickey[.location]); or, to"
                            + " run open on purpose, SKYWATCH_SECURITY_ENABLED=false.");
        }
        return problems;
    }
}
