package io.skywatch.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Turns an API key into an identity with the key's roles and scope, from memory ({@link ApiKeys}). */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyAuthenticationRequest> {

    private final ApiKeys keys;

    public ApiKeyIdentityProvider(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public Class<ApiKeyAuthenticationRequest> getRequestType() {
        return ApiKeyAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(
            ApiKeyAuthenticationRequest request, AuthenticationRequestContext context) {
        return keys.verify(request.key()).map(verified -> {
            if (verified == null) {
                throw new AuthenticationFailedException("unknown or revoked API key");
            }
            if (verified.key() == null) {
                return QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal("bootstrap-admin"))
                        .addRoles(Roles.ALL)
                        .addAttribute(Caller.ATTRIBUTE, Caller.unscoped("bootstrap-admin"))
                        .build();
            }
            ApiKey key = verified.key();
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal("key:" + key.id))
                    .addRoles(new java.util.HashSet<>(key.roles))
                    .addAttribute(Caller.ATTRIBUTE, Caller.of(key))
                    .build();
        });
    }
}
