package io.skywatch.emitters;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * User login events as in seed 004 ({@code user_id, app_version, device_type, ip, locale, device_id,
 * timestamp} in epoch seconds) from a pool of users, each with one device, plus an {@code event_id}: the stream's
 * id field, so that an event sent again (after a 503 whose records Kafka had in fact taken) is stored once.
 * A share {@code invalidRate} of them
 * is built to be caught, in equal parts: an unsupported device type (dropped by a filter), an app version below
 * 2.0.0 (refused by a filter), a missing {@code device_id} (refused by the schema).
 */
public final class LoginEvents implements StreamEvents {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> VERSIONS = List.of("2.3.0", "2.3.1", "2.4.0", "2.10.1", "3.0.0");
    private static final List<String> LOCALES = List.of("RU", "NJ", "TX", "CA", "WA", "NY", "FL", "MA", "PA", "OH");

    private record User(String id, String device, String deviceId, String locale, String ip) {}

    private final Random random;
    private final double invalidRate;
    private final User[] users;

    public LoginEvents(long seed, int users, double invalidRate) {
        this.random = new Random(seed);
        this.invalidRate = invalidRate;
        this.users = new User[users];
        for (int i = 0; i < users; i++) {
            this.users[i] = new User(
                    new UUID(random.nextLong(), random.nextLong()).toString(),
                    random.nextInt(5) < 3 ? "android" : "iOS",
                    new UUID(random.nextLong(), random.nextLong()).toString(),
                    LOCALES.get(random.nextInt(LOCALES.size())),
                    "%d.%d.%d.%d"
                            .formatted(
                                    11 + random.nextInt(200),
                                    random.nextInt(256),
                                    random.nextInt(256),
                                    1 + random.nextInt(254)));
        }
    }

    @Override
    public String defaultStream() {
        return "logins";
    }

    @Override
    public String definition(String name) {
        return """
                {"name":"%s","description":"User logins (seed 004)",
                 "schema":{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",
                   "required":["event_id","user_id","app_version","device_type","ip","locale","device_id","timestamp"],
                   "properties":{"event_id":{"type":"string"},"user_id":{"type":"string"},"app_version":{"type":"string"},
                     "device_type":{"type":"string"},"ip":{"type":"string"},"locale":{"type":"string"},
                     "device_id":{"type":"string"},"timestamp":{"type":"integer"}}},
                 "keyField":"user_id","idField":"event_id","eventTimeField":"timestamp","eventTimeUnit":"s",
                 "filters":[
                   {"name":"supported-devices","field":"device_type","op":"notIn","value":["android","iOS"],
                    "action":"drop","reason":"unsupported device type"},
                   {"name":"minimum-version","field":"app_version","op":"versionBelow","value":"2.0.0",
                    "action":"reject","reason":"app version below 2.0.0 is no longer supported"}],
                 "aggregations":[{"name":"logins-by-device","type":"count","field":"device_type","window":"60s"}],
                 "publishFiltered":true}""".formatted(name);
    }

    @Override
    public Event next(Instant now) {
        User user = users[random.nextInt(users.length)];
        ObjectNode login = JSON.createObjectNode()
                .put("event_id", new UUID(random.nextLong(), random.nextLong()).toString())
                .put("user_id", user.id())
                .put("app_version", VERSIONS.get(random.nextInt(VERSIONS.size())))
                .put("device_type", user.device())
                .put("ip", user.ip())
                .put("locale", user.locale())
                .put("device_id", user.deviceId())
                .put("timestamp", now.getEpochSecond());
        if (random.nextDouble() >= invalidRate) {
            return new Event(login, false, false);
        }
        switch (random.nextInt(3)) {
            case 0:
                login.put("device_type", "windows");
                return new Event(login, false, true);
            case 1:
                login.put("app_version", "1." + random.nextInt(10) + ".0");
                return new Event(login, true, false);
            default:
                login.remove("device_id");
                return new Event(login, true, false);
        }
    }
}
