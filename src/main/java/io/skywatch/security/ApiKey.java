package io.skywatch.security;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.codecs.pojo.annotations.BsonId;

/**
 * An API key as stored in {@code api_keys}: the SHA-256 of its secret, never the secret itself. A revoked key
 * keeps its document (with {@code revokedAt}), so the list shows who had access when.
 */
public class ApiKey {

    public static final String COLLECTION = "api_keys";

    /** The public part of the key ({@code sk_<id>_<secret>}), used to find it without comparing secrets. */
    @BsonId
    public String id;

    public String name;
    public List<String> roles = new ArrayList<>();
    /** Rocket channels the key may write (exact, or a prefix ending in {@code *}); empty: any. */
    public List<String> channels = new ArrayList<>();
    /** Station ids the key may write readings for; empty: any. */
    public List<String> stations = new ArrayList<>();
    /** Streams the key may write to ({@code rockets}, {@code sensors} or a run-time stream's name); empty: any. */
    public List<String> streams = new ArrayList<>();
    /** Its own quota (ingest requests per second), or null for {@code skywatch.security.quota-rate}. */
    public Double quotaRate;
    /** Its own burst, or null for {@code skywatch.security.quota-burst}. */
    public Integer quotaBurst;
    /** Base64 of SHA-256 of the secret part. */
    public String secretHash;

    public Instant createdAt;
    public Instant revokedAt;

    boolean revoked() {
        return revokedAt != null;
    }
}
