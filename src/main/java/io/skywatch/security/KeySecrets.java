package io.skywatch.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API key format and hashing. A key is {@code sk_<id>_<secret>}: 16 hex digits of id (found in memory without
 * touching the secret) and 256 random bits of secret in base64url. Keys are high-entropy random, so one SHA-256 is
 * enough (no slow password hash); hashes are compared in constant time.
 */
final class KeySecrets {

    private static final Pattern FORMAT = Pattern.compile("sk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})");

    /** A key split into its parts. */
    record Parsed(String id, String secret) {}

    /** A new key and what is stored of it. */
    record Generated(String id, String key, String secretHash) {}

    private KeySecrets() {}

    static Generated generate() {
        // A new generator per key (keys are made rarely, by an admin): a static one would be created at native-image
        // build time and carry the build's seed into every executable.
        SecureRandom random = new SecureRandom();
        byte[] id = new byte[8];
        byte[] secret = new byte[32];
        random.nextBytes(id);
        random.nextBytes(secret);
        String idText = HexFormat.of().formatHex(id);
        String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return new Generated(idText, "sk_" + idText + "_" + secretText, hash(secretText));
    }

    /** The parts of a key in Skywatch's format, or null when it is not one. */
    static Parsed parse(String presented) {
        if (presented == null || presented.length() != 3 + 16 + 1 + 43) {
            return null;
        }
        Matcher m = FORMAT.matcher(presented);
        return m.matches() ? new Parsed(m.group(1), m.group(2)) : null;
    }

    static String hash(String secret) {
        return Base64.getEncoder().encodeToString(sha256(secret));
    }

    /** Whether {@code secret} hashes to {@code expectedHash}, in time independent of where they differ. */
    static boolean matches(String secret, String expectedHash) {
        return MessageDigest.isEqual(
                sha256(secret),
                expectedHash == null ? new byte[0] : Base64.getDecoder().decode(expectedHash));
    }

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
