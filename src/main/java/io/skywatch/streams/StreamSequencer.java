package io.skywatch.streams;

import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.mongodb.reactive.ReactiveMongoCollection;
import io.quarkus.runtime.StartupEvent;
import io.skywatch.config.SkywatchConfig;
import io.skywatch.mongo.MongoErrors;
import io.skywatch.sequencing.ChannelSequencing;
import io.skywatch.sequencing.GapPolicy;
import io.skywatch.sequencing.PartitionClocks;
import io.skywatch.sequencing.VersionedStates;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Puts the events of a stream with a sequence field back in order per key before they go to the processed
 * topic, with the same reorder / dedupe / gap policy as rockets: events ahead of a missing number wait in the
 * key's state document; after the gap timeout (measured on the partition's acceptance times) the key moves on
 * and the gap is recorded as skipped; a skipped number that arrives after all is published as it comes.
 */
@ApplicationScoped
public class StreamSequencer {

    /** A key waiting for a missing number: where its records are, and since when. */
    private record Waiting(String stream, String key, int partition, Instant since) {}

    private final ReactiveMongoCollection<StreamChannel> channels;
    private final VersionedStates<StreamChannel> states;
    private final StreamPublisher publisher;
    private final GapPolicy gapPolicy;
    private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
    /** Streams whose waiting keys this replica has read back from Mongo since it started. */
    private final Set<String> seeded = ConcurrentHashMap.newKeySet();

    private final Counter duplicates;
    private final Counter gapsDeclared;

    public StreamSequencer(
            ReactiveMongoClient mongo,
            @ConfigProperty(name = "quarkus.mongodb.database") String database,
            StreamPublisher publisher,
            SkywatchConfig config,
            MeterRegistry registry) {
        this.channels = mongo.getDatabase(database).getCollection(StreamChannel.COLLECTION, StreamChannel.class);
        this.publisher = publisher;
        this.gapPolicy = new GapPolicy(
                config.sequencer().gapTimeout(), config.sequencer().maxPending());
        this.states = VersionedStates.of(
                id -> channels.find(new Document("_id", id))
                        .collect()
                        .first()
                        .map(found -> found != null ? found : StreamChannel.newChannel(id)),
                channel -> channel.version,
                this::compareAndSet,
                config.sequencer().cachedChannels());
        this.duplicates = Counter.builder("skywatch.sequencer.duplicates")
                .tag("stream", "streams")
                .description("Arrivals dropped because their message number was applied or waiting already")
                .register(registry);
        this.gapsDeclared = Counter.builder("skywatch.sequencer.gaps.declared")
                .tag("stream", "streams")
                .description("Message numbers the gap policy stopped waiting for")
                .register(registry);
    }

    void createIndexes(@Observes @Priority(500) StartupEvent startup) {
        channels.createIndex(Indexes.ascending("_id", "version"), new IndexOptions().unique(true))
                .chain(() -> channels.createIndex(Indexes.ascending("stream", "waitingSince")))
                .await()
                .atMost(Duration.ofSeconds(60));
    }

    /**
     * Offers a key's arrivals (any order, duplicates allowed); publishes what becomes ready, in order, before
     * the state that records it is written (a crash in between publishes it again: at-least-once).
     */
    Uni<Void> offer(String stream, String key, int partition, List<StoredStreamEvent> arrivals, Instant now) {
        return seed(stream)
                .chain(() -> states.update(stream + "|" + key, current -> {
                    ChannelSequencing.Step<StoredStreamEvent> step = ChannelSequencing.step(
                            new ChannelSequencing.State<>(
                                    current.lastSequence,
                                    current.pendingBySequence(),
                                    current.skipped,
                                    current.waitingSince),
                            arrivals,
                            event -> event.sequence,
                            gapPolicy,
                            now);
                    if (!step.changed()) {
                        return Uni.createFrom()
                                .item(VersionedStates.Change.none(() -> duplicates.increment(step.duplicates())));
                    }
                    List<StoredStreamEvent> out = new ArrayList<>(step.ready());
                    out.addAll(step.late());
                    StreamChannel next = StreamChannel.newChannel(current.id);
                    next.partition = partition;
                    next.lastSequence = step.state().lastApplied();
                    next.pending = List.copyOf(step.state().pending().values());
                    next.waitingSince = step.state().waitingSince();
                    next.skipped = step.state().skipped();
                    next.published = current.published + out.size();
                    next.version = current.version + 1;
                    next.updatedAt = now;
                    return publisher
                            .publish(
                                    StreamTopics.processed(stream),
                                    out.stream()
                                            .map(event -> new StreamPublisher.Outgoing(key, event.json, null))
                                            .toList())
                            .replaceWith(new VersionedStates.Change<>(next, () -> {
                                duplicates.increment(step.duplicates());
                                gapsDeclared.increment(step.newlySkipped());
                                track(next);
                            }));
                }));
    }

    /**
     * Lets the partition's clock pass for its keys that wait for a missing number and receive nothing more:
     * called with each batch's latest acceptance time on that partition.
     */
    Uni<Void> sweep(String stream, int partition, Instant now) {
        List<Uni<Void>> sweeps = waiting.values().stream()
                .filter(w -> w.stream().equals(stream) && w.partition() == partition)
                .filter(w -> !w.since().plus(gapPolicy.timeout()).isAfter(now))
                .map(w -> offer(stream, w.key(), partition, List.of(), now))
                .toList();
        return sweeps.isEmpty()
                ? Uni.createFrom().voidItem()
                : Uni.join().all(sweeps).andCollectFailures().replaceWithVoid();
    }

    /**
     * Lets time pass for waiting keys that receive nothing more, on partitions this replica owns and has caught
     * up with (see {@link PartitionClocks}).
     */
    Uni<Void> sweep(PartitionClocks.Snapshot clocks) {
        List<Uni<Void>> sweeps = new ArrayList<>();
        for (Waiting w : waiting.values()) {
            clocks.forKey(StreamTopics.raw(w.stream()), w.key())
                    .filter(now -> !w.since().plus(gapPolicy.timeout()).isAfter(now))
                    .ifPresent(now -> sweeps.add(offer(w.stream(), w.key(), w.partition(), List.of(), now)));
        }
        return sweeps.isEmpty()
                ? Uni.createFrom().voidItem()
                : Uni.join().all(sweeps).andCollectFailures().replaceWithVoid();
    }

    /** Forgets cached states and watched keys, e.g. when partitions move: Mongo is read again. */
    void forget() {
        states.forget();
        waiting.clear();
        seeded.clear();
    }

    private Uni<Void> seed(String stream) {
        if (seeded.contains(stream)) {
            return Uni.createFrom().voidItem();
        }
        return channels.find(new Document("stream", stream).append("waitingSince", new Document("$ne", null)))
                .collect()
                .asList()
                .invoke(found -> {
                    found.forEach(this::track);
                    seeded.add(stream);
                })
                .replaceWithVoid();
    }

    private void track(StreamChannel channel) {
        if (channel.waitingSince == null) {
            waiting.remove(channel.id);
        } else {
            waiting.put(channel.id, new Waiting(channel.stream, channel.key, channel.partition, channel.waitingSince));
        }
    }

    private Uni<Boolean> compareAndSet(long expectedVersion, StreamChannel next) {
        if (expectedVersion == 0) {
            return channels.insertOne(next)
                    .replaceWith(true)
                    .onFailure(MongoErrors::isDuplicateKey)
                    .recoverWithItem(false);
        }
        return channels.replaceOne(new Document("_id", next.id).append("version", expectedVersion), next)
                .map(result -> result.getMatchedCount() == 1);
    }
}
