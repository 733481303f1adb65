package io.skywatch.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.skywatch.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;

/**
 * What every ingest endpoint checks about its caller beyond the role: the quota (before reading the body) and the
 * scope of its key (once the body says which channels or stations it writes). All in memory.
 */
@ApplicationScoped
public class IngestGuard {

    private final QuotaLimiter quota;
    private final SecurityIdentity identity;

    public IngestGuard(QuotaLimiter quota, SecurityIdentity identity) {
        this.quota = quota;
        this.identity = identity;
    }

    /**
     * @throws ProblemException 429 + Retry-After when the caller's quota is spent; 403 when its key may not write to
     *     {@code stream}
     */
    public void admit(String stream) {
        Caller caller = Caller.of(identity);
        if (caller.open()) {
            return;
        }
        long wait = quota.take(caller);
        if (wait > 0) {
            throw ProblemException.quotaExceeded(
                    "This key's ingest quota is spent; retry after the suggested delay.", (int) Math.min(wait, 3600));
        }
        if (!caller.mayWriteStream(stream)) {
            throw ProblemException.forbidden("This key may not write to stream '" + stream + "'.", List.of());
        }
    }

    /** @throws ProblemException 403 naming the channels this caller's key may not write */
    public void channels(Collection<String> channels) {
        Caller caller = Caller.of(identity);
        List<String> refused = channels.stream()
                .filter(c -> !caller.mayWriteChannel(c))
                .distinct()
                .toList();
        if (!refused.isEmpty()) {
            throw ProblemException.forbidden(
                    "This key may not write to channel " + refused.get(0) + more(refused), fields("channel", refused));
        }
    }

    /** @throws ProblemException 403 naming the stations this caller's key may not write for */
    public void stations(Collection<String> stations) {
        Caller caller = Caller.of(identity);
        List<String> refused = stations.stream()
                .filter(s -> !caller.mayWriteStation(s))
                .distinct()
                .toList();
        if (!refused.isEmpty()) {
            throw ProblemException.forbidden(
                    "This key may not write readings of station " + refused.get(0) + more(refused),
                    fields("stationId", refused));
        }
    }

    private static String more(List<String> refused) {
        return refused.size() > 1 ? " (and " + (refused.size() - 1) + " more)." : ".";
    }

    private static List<io.skywatch.problem.Problem.FieldError> fields(String field, List<String> refused) {
        return refused.stream()
                .limit(100)
                .map(value -> new io.skywatch.problem.Problem.FieldError(field, "not in this key's scope: " + value))
                .toList();
    }
}
