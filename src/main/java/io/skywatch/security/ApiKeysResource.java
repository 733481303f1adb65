package io.skywatch.security;

import io.skywatch.problem.Problem;
import io.skywatch.problem.Problem.FieldError;
import io.skywatch.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * {@code /admin/keys}: API keys for emitters (and viewers or admins that use keys rather than tokens). The key is
 * shown once, in the answer that creates it; only its hash is stored.
 */
@Path("/admin/keys")
@RolesAllowed(Roles.ADMIN)
public class ApiKeysResource {

    private static final Pattern SCOPE = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}\\*?$|^\\*$");
    private static final int MAX_SCOPE_ENTRIES = 1000;

    private final ApiKeyStore store;
    private final ApiKeys keys;

    public ApiKeysResource(ApiKeyStore store, ApiKeys keys) {
        this.store = store;
        this.keys = keys;
    }

    /**
     * A key to create.
     *
     * @param name who or what uses it, e.g. {@code station-fleet-north}
     * @param roles {@code emitter} (default), {@code viewer}, {@code admin}
     * @param channels rocket channels it may write (exact, or a prefix ending in {@code *}); empty: any
     * @param stations station ids it may write readings of; empty: any
     * @param streams streams it may write ({@code rockets}, {@code sensors}, run-time names); empty: any
     * @param quotaRate ingest requests per second; absent: {@code skywatch.security.quota-rate}
     * @param quotaBurst burst; absent: {@code skywatch.security.quota-burst}
     */
    public record KeyRequest(
            String name,
            List<String> roles,
            List<String> channels,
            List<String> stations,
            List<String> streams,
            Double quotaRate,
            Integer quotaBurst) {}

    /** A key as listed: everything but the secret. */
    public record KeyView(
            String id,
            String name,
            List<String> roles,
            List<String> channels,
            List<String> stations,
            List<String> streams,
            Double quotaRate,
            Integer quotaBurst,
            Instant createdAt,
            Instant revokedAt) {

        static KeyView of(ApiKey key) {
            return new KeyView(
                    key.id,
                    key.name,
                    key.roles,
                    key.channels,
                    key.stations,
                    key.streams,
                    key.quotaRate,
                    key.quotaBurst,
                    key.createdAt,
                    key.revokedAt);
        }
    }

    /** The answer to a creation: the view and, this once, the key itself. */
    public record CreatedKey(String key, KeyView apiKey) {}

    @POST
    @Operation(summary = "Create an API key", description = "The key is in this answer only; store it now.")
    @APIResponse(responseCode = "201", description = "Created; the body holds the key")
    @APIResponse(
            responseCode = "422",
            description = "Invalid request",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Uni<Response> create(KeyRequest request) {
        ApiKey key = validate(request);
        KeySecrets.Generated generated = KeySecrets.generate();
        key.id = generated.id();
        key.secretHash = generated.secretHash();
        key.createdAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return store.insert(key)
                .invoke(() -> keys.applied(key))
                .map(ignored -> Response.created(URI.create("/admin/keys/" + key.id))
                        .header("Cache-Control", "no-store")
                        .entity(new CreatedKey(generated.key(), KeyView.of(key)))
                        .build());
    }

    @GET
    @Operation(summary = "Every API key, revoked ones included, without secrets")
    public Uni<List<KeyView>> list() {
        return store.all()
                .map(all -> all.stream()
                        .sorted(Comparator.comparing((ApiKey k) -> k.createdAt))
                        .map(KeyView::of)
                        .toList());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One API key, without its secret")
    public Uni<KeyView> get(@PathParam("id") String id) {
        return store.all()
                .map(all -> all.stream()
                        .filter(k -> k.id.equals(id))
                        .findFirst()
                        .map(KeyView::of)
                        .orElseThrow(() -> ProblemException.notFound("No API key " + safe(id) + ".")));
    }

    @DELETE
    @Path("/{id}")
    @Operation(
            summary = "Revoke an API key",
            description = "Refused at once on this replica, on the others within skywatch.security.key-refresh.")
    @APIResponse(responseCode = "204", description = "Revoked (or already revoked)")
    public Uni<Response> revoke(@PathParam("id") String id) {
        if (!id.matches("[0-9a-f]{16}")) {
            throw ProblemException.notFound("No API key " + safe(id) + ".");
        }
        return store.revoke(id, Instant.now().truncatedTo(ChronoUnit.MILLIS)).map(revoked -> {
            if (revoked == null) {
                throw ProblemException.notFound("No API key " + id + ".");
            }
            keys.applied(revoked);
            return Response.noContent().build();
        });
    }

    private static String safe(String id) {
        return id.matches("[0-9a-f]{1,16}") ? id : "with that id";
    }

    private static ApiKey validate(KeyRequest request) {
        if (request == null) {
            throw ProblemException.invalid(
                    "Body is missing; expected {name, roles, ...}.",
                    List.of(new FieldError("$", "a JSON object is required")));
        }
        List<FieldError> errors = new ArrayList<>();
        if (request.name() == null || request.name().isBlank() || request.name().length() > 100) {
            errors.add(new FieldError("$.name", "is required, 1 to 100 characters"));
        }
        List<String> roles = request.roles() == null || request.roles().isEmpty()
                ? List.of(Roles.EMITTER)
                : request.roles().stream().distinct().toList();
        for (String role : roles) {
            if (role == null || !Roles.ALL.contains(role)) {
                errors.add(new FieldError("$.roles", "each must be one of emitter, viewer, admin"));
                break;
            }
        }
        List<String> channels = scope("channels", request.channels(), errors);
        List<String> stations = scope("stations", request.stations(), errors);
        List<String> streams = scope("streams", request.streams(), errors);
        if (request.quotaRate() != null && !(request.quotaRate() > 0 && request.quotaRate() <= 1_000_000)) {
            errors.add(new FieldError("$.quotaRate", "must be above 0 and at most 1000000 requests per second"));
        }
        if (request.quotaBurst() != null && (request.quotaBurst() < 1 || request.quotaBurst() > 10_000_000)) {
            errors.add(new FieldError("$.quotaBurst", "must be between 1 and 10000000"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(
                    errors.get(0).field() + ": " + errors.get(0).reason(), errors);
        }
        ApiKey key = new ApiKey();
        key.name = request.name().strip();
        key.roles = new ArrayList<>(roles);
        key.channels = channels;
        key.stations = stations;
        key.streams = streams;
        key.quotaRate = request.quotaRate();
        key.quotaBurst = request.quotaBurst();
        return key;
    }

    private static List<String> scope(String field, List<String> values, List<FieldError> errors) {
        if (values == null) {
            return new ArrayList<>();
        }
        if (values.size() > MAX_SCOPE_ENTRIES) {
            errors.add(new FieldError("$." + field, "at most " + MAX_SCOPE_ENTRIES + " entries"));
            return List.of();
        }
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            if (value == null || !SCOPE.matcher(value).matches()) {
                errors.add(new FieldError(
                        "$." + field + "[" + i + "]",
                        "must be 1-128 characters of A-Z a-z 0-9 . _ : - (a trailing * matches a prefix)"));
            }
        }
        return new ArrayList<>(values.stream().distinct().toList());
    }
}
