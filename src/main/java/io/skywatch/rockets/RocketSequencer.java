package io.skywatch.rockets;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.skywatch.config.SkywatchConfig;
import io.skywatch.sequencing.ReorderBuffer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Applies a channel's events to its projection in message-number order, exactly once in effect: arrivals
 * at or below the last applied number, or already waiting, are duplicates; arrivals ahead of a gap wait in
 * the projection document itself, so they are as durable as the state they will change. Every write is
 * conditional on the version read, which makes a replay after a crash, or a second replica briefly owning
 * the same partition during a rebalance, harmless.
 */
@ApplicationScoped
public class RocketSequencer {

    private static final int MAX_CONFLICT_RETRIES = 5;

    private final RocketProjections projections;
    private final Map<String, RocketProjection> cache;
    private final int maxListedMissing;
    private final Counter duplicates;
    private final Counter applied;
    private final AtomicLong pendingTotal = new AtomicLong();

    public RocketSequencer(RocketProjections projections, SkywatchConfig config, MeterRegistry registry) {
        this.projections = projections;
        this.maxListedMissing = config.sequencer().maxListedMissing();
        int cachedChannels = config.sequencer().cachedChannels();
        this.cache = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, RocketProjection> eldest) {
                return size() > cachedChannels;
            }
        });
        this.duplicates = Counter.builder("skywatch.sequencer.duplicates").tag("stream", "rockets")
                .description("Arrivals dropped because their message number was applied or waiting already")
                .register(registry);
        this.applied = Counter.builder("skywatch.sequencer.applied").tag("stream", "rockets")
                .description("Messages applied to projections in order").register(registry);
        registry.gauge("skywatch.sequencer.pending", List.of(io.micrometer.core.instrument.Tag.of("stream", "rockets")),
                pendingTotal);
    }

    /** Offers one channel's arrivals (in any order, duplicates allowed) and persists the outcome. */
    Uni<Void> offer(String channel, List<RocketEvent> arrivals) {
        return offer(channel, arrivals, 0);
    }

    private Uni<Void> offer(String channel, List<RocketEvent> arrivals, int conflicts) {
        return current(channel, conflicts > 0).chain(current -> {
            ReorderBuffer.Offer<RocketEvent> offer = ReorderBuffer.offer(current.lastMessageNumber,
                    current.pendingByNumber(), arrivals, event -> event.messageNumber);
            if (offer.unchanged(arrivals.size())) {
                duplicates.increment(offer.duplicates());
                return Uni.createFrom().voidItem();
            }
            RocketProjection next = advance(current, offer);
            return projections.compareAndSet(current.version, next).chain(written -> {
                if (written) {
                    cache.put(channel, next);
                    duplicates.increment(offer.duplicates());
                    applied.increment(offer.ready().size());
                    pendingTotal.addAndGet(next.pending.size() - current.pending.size());
                    return Uni.createFrom().voidItem();
                }
                cache.remove(channel);
                if (conflicts >= MAX_CONFLICT_RETRIES) {
                    return Uni.createFrom().failure(new IllegalStateException(
                            "Channel " + channel + " kept changing under this writer"));
                }
                Log.debugf("Version conflict on channel %s, re-reading", channel);
                return offer(channel, arrivals, conflicts + 1);
            });
        });
    }

    private RocketProjection advance(RocketProjection current, ReorderBuffer.Offer<RocketEvent> offer) {
        RocketProjection next = current.copy();
        offer.ready().forEach(next::apply);
        next.pending = List.copyOf(offer.pending().values());
        next.missingCount = ReorderBuffer.missingCount(offer.lastApplied(), offer.pending());
        next.missingMessageNumbers = ReorderBuffer.missingNumbers(offer.lastApplied(), offer.pending(),
                maxListedMissing);
        next.version = current.version + 1;
        next.updatedAt = Instant.now();
        return next;
    }

    private Uni<RocketProjection> current(String channel, boolean bypassCache) {
        RocketProjection cached = bypassCache ? null : cache.get(channel);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return projections.findById(channel)
                .map(stored -> stored != null ? stored : RocketProjection.newChannel(channel));
    }

    /** Forgets cached state, e.g. when partitions move: the next offer re-reads from Mongo. */
    void forgetCachedState() {
        cache.clear();
    }
}
