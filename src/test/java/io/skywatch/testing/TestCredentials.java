package io.skywatch.testing;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * Credentials for one test run, generated at its start (nothing secret is committed): a bootstrap admin key, and
 * an RSA key pair whose public half the gateway verifies tokens with and whose private half {@link Auth} signs
 * them with. They travel as configuration, which both the application and the tests read.
 */
public final class TestCredentials {

    /** Test-only property holding the token signing key (PKCS#8, base64). */
    static final String SIGNING_KEY = "test.skywatch.jwt-signing-key";

    private TestCredentials() {}

    static Map<String, String> generate() {
        byte[] admin = new byte[32];
        new SecureRandom().nextBytes(admin);
        KeyPair pair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            pair = generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return Map.of(
                "skywatch.security.admin-key",
                Base64.getUrlEncoder().withoutPadding().encodeToString(admin),
                "mp.jwt.verify.publickey",
                Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()),
                SIGNING_KEY,
                Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
    }
}
