package io.skywatch.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Everything an operator tunes in Skywatch, under the {@code skywatch.} prefix. Keys that the messaging
 * channels also reference (topics, group id, publish timeout) take their defaults from application.properties.
 */
@ConfigMapping(prefix = "skywatch")
public interface SkywatchConfig {

    /** Ingest (HTTP → Kafka) limits. */
    Ingest ingest();

    /** Rockets stream topics. */
    Rockets rockets();

    /** Sensor stations stream. */
    Sensors sensors();

    /** The sequencer that reorders and deduplicates channels before projecting them. */
    Sequencer sequencer();

    /** Kafka topic provisioning done by the gateway at start-up. */
    Topics topics();

    /** Alert distribution. */
    Alerts alerts();

    /** Outlier detection on station readings. */
    Outliers outliers();

    /** Tumbling-window aggregates of station readings. */
    Aggregates aggregates();

    /** Live push over WebSocket. */
    Live live();

    /** Streams defined at run time. */
    Streams streams();

    /** Health checks beyond reachability. */
    Health health();

    /** Benchmark aids, off in production. */
    Bench bench();

    /** Who may call the API: API keys, bearer tokens, roles, quotas. */
    Security security();

    /** Limits on what a request may hold, whatever the endpoint. */
    Limits limits();

    /** Ingest limits. */
    interface Ingest {
        /** Largest accepted body of a single rockets message, in bytes; larger bodies get 413. */
        @WithDefault("16384")
        int maxMessageBytes();

        /** Events published to Kafka and not yet acknowledged, over all requests; beyond it requests get 503. */
        @WithDefault("8192")
        int maxInFlight();

        /** How long a publish may wait for the broker's acknowledgement before the request fails with 503. */
        int publishTimeoutMs();

        /**
         * Ingest requests (rockets messages, sensor readings, stream events) in progress on a replica, body not yet
         * read included; beyond it requests get 503 + Retry-After at once. 0 turns the bound off.
         */
        @WithDefault("1024")
        int maxConcurrentRequests();

        /** Seconds suggested to clients in the Retry-After header of a 503. */
        @WithDefault("1")
        int retryAfterSeconds();

        /**
         * Records of a pipeline (rockets, sensors, run-time streams) accepted and not yet stored, over all its
         * partitions, beyond which its ingest answers 503 + Retry-After until the consumers catch up. Kafka absorbs
         * bursts up to this bound; past it, sustained overload is refused at the door instead of growing a backlog
         * (and the accepted → stored delay) without limit. An upper bound in records, whatever the store rate;
         * {@code max-catch-up} usually refuses sooner. 0 turns this bound off. Sampled every
         * {@code skywatch.health.lag-sample-interval}.
         */
        @WithDefault("20000")
        long maxBacklog();

        /**
         * How long a pipeline's consumers may need to store its backlog, at the rate they stored at over the last
         * 5 s, before its ingest answers 503 + Retry-After: what is left to store when an overload ends, so about
         * the time the pipeline takes to be current again. While events are accepted at a rate the consumers stored
         * at within the last minute, that rate counts instead when higher, so that a store stalled for a few seconds
         * at a rate it keeps up with does not turn events away. 0 turns this bound off.
         */
        @WithDefault("5s")
        Duration maxCatchUp();

        /**
         * A backlog (records) that {@code max-catch-up} always lets through, up to {@code max-backlog}: an idle
         * pipeline stores nothing, so without it the first burst after a pause would be refused.
         */
        @WithDefault("2000")
        long backlogFloor();
    }

    /** Rockets stream. */
    interface Rockets {
        /** Raw topic the gateway publishes accepted rockets messages to, keyed by channel. */
        String topic();

        /** Topic that receives records the sequencer cannot read, with the reason in headers. */
        String deadLetterTopic();
    }

    /** Sensor stations stream. */
    interface Sensors {
        /** Raw topic of station readings, keyed by station. */
        String topic();

        /** Topic that receives reading records the consumer cannot read. */
        String deadLetterTopic();

        /** Kafka consumer group of the sensors consumer, shared by all replicas. */
        String groupId();

        /** Largest body of {@code POST /sensors/readings}, in bytes. */
        @WithDefault("4194304")
        int maxBatchBytes();

        /** Most readings in one request. */
        @WithDefault("10000")
        int maxBatchItems();

        /** How far ahead of the gateway's clock a reading's timestamp may be; later ones are rejected. */
        @WithDefault("5m")
        Duration maxClockSkew();

        /**
         * How often stations that receive nothing are checked: a missing number past the gap timeout is skipped,
         * ended windows of a station quiet for the allowed lateness are closed.
         */
        @WithDefault("5s")
        Duration sweepInterval();

        /** Register a station on its first reading when it is not registered yet. */
        @WithDefault("true")
        boolean autoRegister();
    }

    /** Sequencer. */
    interface Sequencer {
        /** Kafka consumer group shared by all gateway replicas: Kafka gives each channel a single owner. */
        String groupId();

        /** Channels whose state is cached in memory by one replica; a miss reads the projection from Mongo. */
        @WithDefault("100000")
        int cachedChannels();

        /** Most missing message numbers listed on one rocket (the count is exact, the list is cut). */
        @WithDefault("100")
        int maxListedMissing();

        /** Longest wait for a missing message number before the channel skips it and moves on. */
        @WithDefault("30s")
        Duration gapTimeout();

        /** Most messages a channel holds back behind a missing number before it skips the gap. */
        @WithDefault("10000")
        int maxPending();

        /** How often channels that wait for a missing number are checked against the gap timeout. */
        @WithDefault("1s")
        Duration gapCheckInterval();
    }

    /** Topic provisioning. */
    interface Topics {
        /** Create missing topics at start-up; turn off where topics are managed elsewhere (e.g. Strimzi KafkaTopic). */
        @WithDefault("true")
        boolean create();

        /** Partitions of each raw topic: the upper bound on sequencer parallelism across replicas. */
        @WithDefault("6")
        int partitions();

        /** Replication factor of created topics (3 on a production cluster). */
        @WithDefault("1")
        short replicationFactor();
    }

    /** Alerts. */
    interface Alerts {
        /** Topic every alert change is published to; every replica reads all of it to push alerts live. */
        String topic();
    }

    /**
     * Outlier detection: each reading of a metric is compared with the station's last {@code window} readings of
     * it. A z-score above {@code raise-z} raises an OUTLIER alert, one below {@code clear-z} clears it. A full
     * window of identical values raises a FLATLINE alert (a stuck sensor).
     */
    interface Outliers {
        /** Turn outlier and flat-line detection off altogether. */
        @WithDefault("true")
        boolean enabled();

        /** Readings per station and metric the rolling mean and standard deviation are computed over. */
        @WithDefault("120")
        int window();

        /** Readings needed in the window before a z-score is judged. */
        @WithDefault("30")
        int minSamples();

        /** z-score above which a reading is an outlier. */
        @WithDefault("6")
        double raiseZ();

        /** z-score below which an open outlier alert clears. */
        @WithDefault("3")
        double clearZ();

        /** Severity of outlier and flat-line alerts. */
        @WithDefault("WARNING")
        io.skywatch.alerts.Severity severity();

        /** Quiet time after an outlier alert cleared, in measurement time. */
        @WithDefault("5m")
        Duration coolDown();

        /** Metrics whose distribution is too skewed for a z-score (bursts and zeros are normal). */
        @WithDefault("rainfall,wind_speed")
        java.util.Set<String> zScoreExempt();

        /** Metrics for which a constant value is normal (no rain, no wind, night). */
        @WithDefault("rainfall,wind_speed,illuminance")
        java.util.Set<String> flatlineExempt();
    }

    /** Aggregates. */
    interface Aggregates {
        /**
         * How far behind a station's latest measurement a reading may be and still count in its window; a
         * window closes (is stored as final) once the station's readings are this far past its end.
         */
        @WithDefault("30s")
        Duration allowedLateness();
    }

    /** Live push. */
    interface Live {
        /** Messages waiting for one WebSocket client; beyond it the oldest are dropped and the client told. */
        @WithDefault("512")
        int clientQueue();

        /** Publish applied readings and rocket updates for live subscribers (alerts are always published). */
        @WithDefault("true")
        boolean updates();

        /** Topic of live readings and rocket updates, read by every replica. */
        String topic();
    }

    /** Streams defined at run time through {@code /streams}. */
    interface Streams {
        /** Consumer group of the run-time streams' consumer, shared by all replicas. */
        String groupId();

        /** Topic that receives raw-topic records the streams consumer cannot read. */
        String deadLetterTopic();

        /** Largest body of {@code POST /streams/{name}/events}, in bytes. */
        @WithDefault("4194304")
        int maxBatchBytes();

        /** Most events in one request. */
        @WithDefault("10000")
        int maxBatchItems();

        /** Most streams that may be defined. */
        @WithDefault("100")
        int maxStreams();
    }

    /** Health checks beyond Kafka and MongoDB reachability. */
    interface Health {
        /**
         * Readiness goes down when a consumed partition has a backlog and its committed offset has not moved
         * for this long (the consumer is stuck: a poison batch retried forever, MongoDB refusing writes).
         */
        @WithDefault("2m")
        Duration stuckAfter();

        /**
         * Readiness goes down when the consumers' lag samples have not been answered for this long (the broker is
         * unreachable, or a consumer's polling thread hangs). Quarkus's own Kafka check only gives up after the
         * admin client's 60 s API timeout.
         */
        @WithDefault("15s")
        Duration unansweredAfter();

        /** How often consumer lag is sampled (for the stuck check and {@code skywatch.consumer.lag}). */
        @WithDefault("1s")
        Duration lagSampleInterval();
    }

    /** Benchmark aids; the load tests switch them on. */
    interface Bench {
        /**
         * Serves {@code POST /bench/discard/messages} and {@code /bench/discard/sensors/readings}: the ingest
         * endpoints' parsing and validation without the publish, the HTTP ceiling the load tests compare to.
         */
        @WithDefault("false")
        boolean discardEndpoints();
    }

    /**
     * Authentication and authorisation. Roles: {@code emitter} (ingest), {@code viewer} (queries, {@code /ws/live}),
     * {@code admin} (rules, streams, stations, keys; and everything the other two may do).
     */
    interface Security {
        /**
         * Require credentials (an API key or a bearer token) on every API request and WebSocket connection. Off, the
         * gateway is open: anyone may ingest, read and administer, and the start-up log says so. On by default; the
         * embedded launcher turns it off unless told otherwise.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * A bootstrap admin API key (e.g. from a Kubernetes Secret), at least 32 characters; only its SHA-256 is
         * kept. Without it (and without a JWT verification key) nobody could create keys, so a secured gateway
         * refuses to start.
         */
        java.util.Optional<String> adminKey();

        /**
         * How often every replica re-reads the API keys from MongoDB: the longest a key revoked on another replica
         * stays usable here (a revocation applies at once on the replica that handled it).
         */
        @WithDefault("5s")
        Duration keyRefresh();

        /**
         * Least time between two key reloads caused by an unknown key id (a key just created on another replica),
         * so unknown keys cannot make each request read MongoDB.
         */
        @WithDefault("1s")
        Duration unknownKeyReload();

        /** Ingest requests per second one key or token may sustain, unless its key sets its own. */
        @WithDefault("1000")
        double quotaRate();

        /** Ingest requests one key or token may send in a burst above its rate. */
        @WithDefault("2000")
        int quotaBurst();
    }

    /** Limits on JSON bodies and request duration, checked before any endpoint reads them; breaches are 400s. */
    interface Limits {
        /** Deepest nesting of JSON arrays and objects in a body. */
        @WithDefault("32")
        int jsonMaxDepth();

        /** Longest JSON string value, in characters. */
        @WithDefault("65536")
        int jsonMaxStringLength();

        /** Longest JSON number, in characters. */
        @WithDefault("64")
        int jsonMaxNumberLength();

        /** Longest JSON object key, in characters. */
        @WithDefault("256")
        int jsonMaxNameLength();

        /**
         * Longest a request may take, body upload included; beyond it the answer is 408 (body still arriving) or
         * 503, and the connection is closed. Ingest answers well before: see {@code skywatch.ingest.publish-timeout-ms}.
         */
        @WithDefault("30s")
        Duration requestTimeout();
    }
}
