package io.skywatch.kafka;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.config.Config;

/**
 * How the gateway's own Kafka clients (topic creation, dead-letter reads) connect: the bootstrap servers and the
 * same {@code kafka.security.*}, {@code kafka.ssl.*} and {@code kafka.sasl.*} settings the messaging channels get
 * from Quarkus, so TLS or SASL configured once applies to every client.
 */
@ApplicationScoped
public class KafkaClients {

    private final Map<String, Object> connection;

    public KafkaClients(Config config) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("bootstrap.servers", config.getValue("kafka.bootstrap.servers", String.class));
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("kafka.security.") || name.startsWith("kafka.ssl.") || name.startsWith("kafka.sasl.")) {
                config.getOptionalValue(name, String.class)
                        .filter(value -> !value.isBlank())
                        .ifPresent(value -> settings.put(name.substring("kafka.".length()), value));
            }
        }
        this.connection = Map.copyOf(settings);
    }

    /** Connection settings plus {@code extra}, for an admin client or consumer. */
    public Map<String, Object> with(Map<String, Object> extra) {
        Map<String, Object> all = new HashMap<>(connection);
        all.putAll(extra);
        return all;
    }

    /** The bootstrap servers, for messages. */
    public String bootstrapServers() {
        return (String) connection.get("bootstrap.servers");
    }
}
