package io.skywatch.security;

import io.skywatch.config.SkywatchConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-caller token buckets for the ingest endpoints: {@code rate} requests per second sustained, {@code burst} at
 * once. In memory and per replica: behind a Service of N replicas a key's effective quota is up to N times its
 * rate, which bounds what one key can do to one replica (the purpose), not to the cluster.
 */
@ApplicationScoped
public class QuotaLimiter {

    private final double defaultRate;
    private final int defaultBurst;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public QuotaLimiter(SkywatchConfig config) {
        this.defaultRate = config.security().quotaRate();
        this.defaultBurst = config.security().quotaBurst();
    }

    /** Takes one request from the caller's bucket: 0 when allowed, else the whole seconds to wait (≥ 1). */
    long take(Caller caller) {
        double rate = caller.quotaRate() != null ? caller.quotaRate() : defaultRate;
        int burst = caller.quotaBurst() != null ? caller.quotaBurst() : defaultBurst;
        long now = System.nanoTime();
        return buckets.computeIfAbsent(caller.bucket(), b -> new Bucket(burst, now))
                .take(rate, burst, now);
    }

    static final class Bucket {
        private double tokens;
        private long updatedNanos;

        Bucket(int burst, long now) {
            this.tokens = burst;
            this.updatedNanos = now;
        }

        synchronized long take(double rate, int burst, long now) {
            if (now - updatedNanos > 0) {
                tokens = Math.min(burst, tokens + (now - updatedNanos) / 1e9 * rate);
                updatedNanos = now;
            }
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / rate));
        }
    }
}
