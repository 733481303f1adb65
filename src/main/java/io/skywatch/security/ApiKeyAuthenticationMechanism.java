package io.skywatch.security;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.smallrye.jwt.runtime.auth.JsonWebTokenCredential;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.skywatch.config.SkywatchConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * API keys in the {@code X-API-Key} header. Browsers cannot set headers on a WebSocket, so {@code /ws/live} also
 * takes {@code ?access_token=} with an API key or a bearer token (three dot-separated parts).
 *
 * <p>With {@code skywatch.security.enabled=false} every request is given every role instead: the gateway is open,
 * and the same role checks pass for everyone.
 */
@ApplicationScoped
public class ApiKeyAuthenticationMechanism implements HttpAuthenticationMechanism {

    /** Header carrying an API key. */
    public static final String HEADER = "X-API-Key";
    /** Query parameter carrying a key or token on the WebSocket path. */
    public static final String QUERY_TOKEN = "access_token";

    static final String WEBSOCKET_PATH = "/ws/live";

    private static final SecurityIdentity OPEN = QuarkusSecurityIdentity.builder()
            .setPrincipal(new QuarkusPrincipal("anonymous (open gateway)"))
            .addRoles(Roles.ALL)
            .addAttribute(Caller.ATTRIBUTE, Caller.openGateway())
            .build();

    private final boolean enabled;

    public ApiKeyAuthenticationMechanism(SkywatchConfig config) {
        this.enabled = config.security().enabled();
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        if (!enabled) {
            return Uni.createFrom().item(OPEN);
        }
        String key = context.request().getHeader(HEADER);
        if (key == null && WEBSOCKET_PATH.equals(context.normalizedPath())) {
            String token = context.request().getParam(QUERY_TOKEN);
            if (token != null && token.chars().filter(c -> c == '.').count() == 2) {
                return identities.authenticate(new TokenAuthenticationRequest(new JsonWebTokenCredential(token)));
            }
            key = token;
        }
        if (key == null || key.isEmpty()) {
            return Uni.createFrom().optional(java.util.Optional.empty());
        }
        return identities.authenticate(new ApiKeyAuthenticationRequest(key.trim()));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "ApiKey header=\"" + HEADER + "\""));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiKeyAuthenticationRequest.class, TokenAuthenticationRequest.class);
    }

    /** First when the gateway is open, so no other mechanism refuses a credential nobody needs. */
    @Override
    public int getPriority() {
        return enabled ? DEFAULT_PRIORITY : DEFAULT_PRIORITY + 1000;
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.OTHER_HEADER, HEADER));
    }
}
