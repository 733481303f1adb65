package io.skywatch.testing;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Credentials for tests against the secured {@code @QuarkusTest} gateway. Tests that are not about security
 * call {@link #given()} (REST Assured's, as the bootstrap admin, who may do everything); security tests build
 * their own requests with the keys and tokens made here.
 */
public final class Auth {

    /** The API key header. */
    public static final String HEADER = "X-API-Key";

    private Auth() {}

    /** The run's bootstrap admin key. */
    public static String adminKey() {
        return ConfigProvider.getConfig().getValue("skywatch.security.admin-key", String.class);
    }

    /** A REST Assured request as the bootstrap admin. */
    public static RequestSpecification given() {
        return RestAssured.given().header(HEADER, adminKey());
    }

    /** A request with no credentials at all. */
    public static RequestSpecification anonymous() {
        return RestAssured.given();
    }

    /** A request with this API key. */
    public static RequestSpecification withKey(String key) {
        return RestAssured.given().header(HEADER, key);
    }

    /** A request with this bearer token. */
    public static RequestSpecification withToken(String token) {
        return RestAssured.given().header("Authorization", "Bearer " + token);
    }

    /** A token signed with the run's key, for {@code subject} with these roles, valid for {@code lifetime}. */
    public static String token(String subject, Duration lifetime, String... roles) {
        return Jwt.issuer("skywatch")
                .subject(subject)
                .groups(Set.of(roles))
                .expiresIn(lifetime)
                .sign(signingKey());
    }

    public static String token(String subject, String... roles) {
        return token(subject, Duration.ofMinutes(10), roles);
    }

    /**
     * Creates an API key through the admin API and returns it.
     *
     * @param body the creation request, e.g. {@code {"name":"n","roles":["emitter"],"channels":["c-1"]}}
     */
    public static String createKey(String body) {
        return given().contentType("application/json")
                .body(body)
                .post("/admin/keys")
                .then()
                .statusCode(201)
                .extract()
                .path("key");
    }

    /** An emitter key with these rocket channel patterns (none: any channel). */
    public static String emitterKey(List<String> channels) {
        StringBuilder body = new StringBuilder("{\"name\":\"test-emitter\",\"roles\":[\"emitter\"],\"channels\":[");
        for (int i = 0; i < channels.size(); i++) {
            body.append(i == 0 ? "" : ",").append('"').append(channels.get(i)).append('"');
        }
        return createKey(body.append("]}").toString());
    }

    private static PrivateKey signingKey() {
        try {
            byte[] der = Base64.getDecoder()
                    .decode(ConfigProvider.getConfig().getValue(TestCredentials.SIGNING_KEY, String.class));
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
