package io.skywatch.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.skywatch.config.SkywatchConfig;
import io.smallrye.config.WithDefault;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Renders every overlay under {@code kubernetes/overlays} with {@code kubectl kustomize} and checks the objects
 * against the application itself: what it reads (application.properties, {@link SkywatchConfig}, the Quarkus
 * configuration model on the classpath), the topics its channels use, the ports and health paths it serves, and
 * the monitoring files in {@code observability/}. kubectl missing is a failure: {@code .ci/run} installs it.
 */
class KubernetesManifestsTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Path KUBERNETES = ROOT.resolve("kubernetes");
    private static final Path PROPERTIES = ROOT.resolve("src/main/resources/application.properties");
    private static final Path RULES = ROOT.resolve("observability/prometheus/skywatch-rules.yml");
    private static final Path DASHBOARD = ROOT.resolve("observability/grafana/skywatch-dashboard.json");
    private static final String KUBECTL = System.getProperty("skywatch.kubectl", "kubectl");

    /**
     * Quarkus keys the manifests set, beyond those in application.properties. Each must exist in the Quarkus
     * configuration model and be a run-time key: a build-time key set on a pod would change nothing.
     */
    static final Set<String> QUARKUS_KEYS_USED =
            Set.of("quarkus.http.port", "quarkus.management.port", "quarkus.shutdown.timeout");

    /** The naming convention: every object carries these, and sits in its overlay's namespace. */
    static final String PART_OF = "app.kubernetes.io/part-of";

    static final String COMPONENT = "app.kubernetes.io/component";
    static final Set<String> COMPONENTS = Set.of("gateway", "monitoring", "kafka", "mongodb");

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, String> properties;
    /** {@code @WithDefault} values of {@link SkywatchConfig}, by key. */
    private static final Map<String, String> skywatchDefaults = new TreeMap<>();

    private static Map<String, JsonNode> quarkusModel;
    private static Set<String> knownKeys;
    private static Set<String> knownEnv;

    @BeforeAll
    static void readTheApplication() throws IOException {
        properties = readProperties();
        quarkusModel = quarkusConfigModel();
        knownEnv = knownEnvironmentVariables();
    }

    @TestFactory
    Stream<DynamicTest> everyOverlayRendersAndMatchesTheApplication() throws IOException {
        List<Path> overlays;
        try (Stream<Path> dirs = Files.list(KUBERNETES.resolve("overlays"))) {
            overlays = dirs.filter(d -> Files.isRegularFile(d.resolve("kustomization.yaml")))
                    .sorted()
                    .toList();
        }
        assertThat(overlays.stream().map(p -> p.getFileName().toString())).contains("dev", "prod");
        return overlays.stream()
                .map(overlay ->
                        DynamicTest.dynamicTest(overlay.getFileName().toString(), () -> new Overlay(overlay).check()));
    }

    /** One rendered overlay and the checks on it. */
    private static final class Overlay {
        final String name;
        final String namespace;
        final List<JsonNode> objects;
        final JsonNode deployment;
        final JsonNode container;
        final Map<String, String> env;

        Overlay(Path dir) throws Exception {
            name = dir.getFileName().toString();
            namespace = YAML.readTree(dir.resolve("kustomization.yaml").toFile())
                    .path("namespace")
                    .asText(null);
            assertThat(namespace).as("%s: kustomization namespace", name).isNotBlank();
            objects = parse(render(dir));
            deployment = only("Deployment", o -> true);
            container = containers(deployment.path("spec").path("template")).stream()
                    .filter(c -> c.path("name").asText().equals("skywatch"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(name + ": no container named skywatch in the Deployment"));
            env = environment();
        }

        void check() throws IOException {
            namingConvention();
            imagesAndResources();
            environmentIsConfiguration();
            portsAndProbes();
            gracefulShutdown();
            serviceAndMonitoring();
            topicsMatchTheChannels();
            connectionsPointAtTheClusters();
            securityFromSecrets();
            scalingBounds();
            networkPolicy();
        }

        void namingConvention() {
            for (JsonNode o : objects) {
                JsonNode meta = o.path("metadata");
                String what = name + ": " + o.path("kind").asText() + "/"
                        + meta.path("name").asText();
                assertThat(meta.path("namespace").asText())
                        .as(what + " namespace")
                        .isEqualTo(namespace);
                assertThat(meta.path("labels").path(PART_OF).asText())
                        .as(what + " label " + PART_OF)
                        .isEqualTo("skywatch");
                assertThat(meta.path("labels").path(COMPONENT).asText())
                        .as(what + " label " + COMPONENT)
                        .isIn(COMPONENTS);
            }
        }

        void imagesAndResources() {
            for (JsonNode c : containers(deployment.path("spec").path("template"))) {
                String image = c.path("image").asText();
                assertThat(image)
                        .as("%s: image of container %s", name, c.path("name").asText())
                        .matches(".+(:[\\w][\\w.-]*|@sha256:[0-9a-f]{64})$")
                        .doesNotEndWith(":latest");
                assertResources(
                        c.path("resources"), "container " + c.path("name").asText());
            }
            for (JsonNode pool : all("KafkaNodePool")) {
                assertResources(pool.path("spec").path("resources"), "KafkaNodePool " + nameOf(pool));
            }
            for (JsonNode mongo : all("MongoDBCommunity")) {
                JsonNode template =
                        mongo.path("spec").path("statefulSet").path("spec").path("template");
                List<JsonNode> mongoContainers = containers(template);
                assertThat(mongoContainers.stream().map(c -> c.path("name").asText()))
                        .as("%s: MongoDBCommunity containers with resources", name)
                        .contains("mongod", "mongodb-agent");
                mongoContainers.forEach(c -> assertResources(c.path("resources"), "mongo " + c.path("name")));
            }
        }

        void assertResources(JsonNode resources, String what) {
            for (String kind : List.of("requests", "limits")) {
                for (String resource : List.of("cpu", "memory")) {
                    assertThat(resources.path(kind).path(resource).asText())
                            .as("%s: %s %s.%s", name, what, kind, resource)
                            .isNotBlank();
                }
            }
        }

        void environmentIsConfiguration() {
            assertThat(env).isNotEmpty();
            Set<String> unknown = new TreeSet<>(env.keySet());
            unknown.removeAll(knownEnv);
            assertThat(unknown)
                    .as(
                            "%s: environment variables that are no key the gateway reads (application.properties,"
                                    + " SkywatchConfig, QUARKUS_KEYS_USED)",
                            name)
                    .isEmpty();
            JsonNode instanceId = envEntry("SKYWATCH_INSTANCE_ID");
            assertThat(instanceId
                            .path("valueFrom")
                            .path("fieldRef")
                            .path("fieldPath")
                            .asText())
                    .as("%s: static membership id unique per pod", name)
                    .isEqualTo("metadata.name");
        }

        void portsAndProbes() throws IOException {
            int http = Integer.parseInt(resolveProperty("quarkus.http.port"));
            int management = Integer.parseInt(resolveProperty("quarkus.management.port"));
            assertThat(containerPort("http"))
                    .as("%s: container port http", name)
                    .isEqualTo(http);
            assertThat(containerPort("management"))
                    .as("%s: container port management", name)
                    .isEqualTo(management);
            String health = "/" + orDefault("quarkus.http.non-application-root-path", "q") + "/"
                    + orDefault("quarkus.smallrye-health.root-path", "health");
            Map<String, String> probes = Map.of(
                    "startupProbe", health + "/started",
                    "readinessProbe", health + "/ready",
                    "livenessProbe", health + "/live");
            probes.forEach((probe, path) -> {
                JsonNode get = container.path(probe).path("httpGet");
                assertThat(get.path("path").asText())
                        .as("%s: %s path", name, probe)
                        .isEqualTo(path);
                assertThat(port(get.path("port")))
                        .as("%s: %s on the management port", name, probe)
                        .isEqualTo(management);
            });
            for (String dockerfile : List.of("Dockerfile.jvm", "Dockerfile.native", "Dockerfile.native-micro")) {
                String text = Files.readString(ROOT.resolve("src/main/docker").resolve(dockerfile));
                assertThat(text)
                        .as("%s exposes the HTTP and management ports", dockerfile)
                        .contains("EXPOSE " + http + " " + management);
            }
        }

        void gracefulShutdown() {
            String timeout = resolveProperty("quarkus.shutdown.timeout");
            assertThat(timeout)
                    .as("%s: quarkus.shutdown.timeout set (unset, Quarkus exits at once on SIGTERM)", name)
                    .isNotNull();
            long preStop = container
                    .path("lifecycle")
                    .path("preStop")
                    .path("sleep")
                    .path("seconds")
                    .asLong();
            assertThat(preStop).as("%s: preStop sleep", name).isPositive();
            long grace = deployment
                    .path("spec")
                    .path("template")
                    .path("spec")
                    .path("terminationGracePeriodSeconds")
                    .asLong();
            assertThat(grace)
                    .as(
                            "%s: terminationGracePeriodSeconds > preStop %d s + shutdown timeout %s",
                            name, preStop, timeout)
                    .isGreaterThan(preStop + duration(timeout).toSeconds());
            JsonNode rolling = deployment.path("spec").path("strategy").path("rollingUpdate");
            assertThat(rolling.path("maxUnavailable").asText())
                    .as("%s: maxUnavailable", name)
                    .isEqualTo("0");
        }

        void serviceAndMonitoring() throws IOException {
            JsonNode podLabels =
                    deployment.path("spec").path("template").path("metadata").path("labels");
            JsonNode service = only("Service", s -> selects(s.path("spec").path("selector"), podLabels));
            for (JsonNode port : service.path("spec").path("ports")) {
                assertThat(port(port.path("targetPort")))
                        .as("%s: Service port %s targets a container port", name, port.path("name"))
                        .isIn(containerPort("http"), containerPort("management"));
            }
            JsonNode monitor = only("ServiceMonitor", m -> true);
            assertThat(selects(monitor.path("spec").path("selector").path("matchLabels"), labels(service)))
                    .as("%s: ServiceMonitor selects the gateway Service", name)
                    .isTrue();
            JsonNode endpoint = monitor.path("spec").path("endpoints").get(0);
            assertThat(endpoint.path("path").asText()).isEqualTo("/q/metrics");
            JsonNode scraped = null;
            for (JsonNode port : service.path("spec").path("ports")) {
                if (port.path("name").asText().equals(endpoint.path("port").asText())) {
                    scraped = port;
                }
            }
            assertThat(scraped)
                    .as("%s: ServiceMonitor port names a Service port", name)
                    .isNotNull();
            assertThat(port(scraped.path("targetPort"))).isEqualTo(containerPort("management"));
            String job = labels(service)
                    .path(monitor.path("spec").path("jobLabel").asText())
                    .asText();
            assertThat(job)
                    .as("%s: scrape job (the Service's jobLabel) is the job the rules select", name)
                    .isEqualTo(rulesJob());

            JsonNode rule = only("PrometheusRule", r -> true);
            assertThat(rule.path("spec"))
                    .as("%s: PrometheusRule spec is %s (kubernetes/base/monitoring/prometheusrule.yaml)", name, RULES)
                    .isEqualTo(YAML.readTree(RULES.toFile()));
            JsonNode dashboard = only("ConfigMap", c -> c.path("data").has("skywatch-dashboard.json"));
            assertThat(dashboard
                            .path("metadata")
                            .path("labels")
                            .path("grafana_dashboard")
                            .asText())
                    .isEqualTo("1");
            assertThat(dashboard.path("data").path("skywatch-dashboard.json").asText())
                    .as("%s: dashboard ConfigMap is %s (copy it to kubernetes/base/monitoring/)", name, DASHBOARD)
                    .isEqualTo(Files.readString(DASHBOARD));
        }

        void topicsMatchTheChannels() {
            Map<String, JsonNode> declared = new TreeMap<>();
            for (JsonNode topic : all("KafkaTopic")) {
                String topicName = topic.path("spec").path("topicName").asText(nameOf(topic));
                assertThat(declared.put(topicName, topic))
                        .as("%s: topic %s declared once", name, topicName)
                        .isNull();
            }
            assertThat(declared.keySet())
                    .as("%s: KafkaTopics are exactly the topics of the channels in application.properties", name)
                    .containsExactlyInAnyOrderElementsOf(channelTopics());
            JsonNode kafka = only("Kafka", k -> true);
            int brokers = 0;
            for (JsonNode pool : all("KafkaNodePool")) {
                assertThat(pool.path("metadata")
                                .path("labels")
                                .path("strimzi.io/cluster")
                                .asText())
                        .isEqualTo(nameOf(kafka));
                if (pool.path("spec").path("roles").toString().contains("\"broker\"")) {
                    brokers += pool.path("spec").path("replicas").asInt();
                }
            }
            int partitions = Integer.parseInt(resolveProperty("skywatch.topics.partitions"));
            Set<String> deadLetterTopics = new TreeSet<>();
            for (String key : knownKeys) {
                if (key.endsWith(".dead-letter-topic")) {
                    deadLetterTopics.add(resolveProperty(key));
                }
            }
            assertThat(deadLetterTopics).as("dead-letter topics").hasSize(3);
            for (var entry : declared.entrySet()) {
                JsonNode topic = entry.getValue();
                String what = name + ": KafkaTopic " + entry.getKey();
                assertThat(topic.path("metadata")
                                .path("labels")
                                .path("strimzi.io/cluster")
                                .asText())
                        .as(what + " cluster")
                        .isEqualTo(nameOf(kafka));
                JsonNode spec = topic.path("spec");
                assertThat(spec.path("replicas").asInt()).as(what + " replicas").isEqualTo(3);
                assertThat(spec.path("replicas").asInt())
                        .as(what + " replicas ≤ brokers")
                        .isLessThanOrEqualTo(brokers);
                assertThat(spec.path("config").path("min.insync.replicas").asInt())
                        .as(what + " min.insync.replicas")
                        .isEqualTo(2);
                assertThat(spec.path("config").path("retention.ms").asLong())
                        .as(what + " retention")
                        .isPositive();
                boolean deadLetters = deadLetterTopics.contains(entry.getKey());
                assertThat(spec.path("partitions").asInt())
                        .as(what + " partitions (what TopicProvisioner would create)")
                        .isEqualTo(deadLetters ? 1 : partitions);
            }
            assertThat(retention(declared, resolveProperty("skywatch.alerts.topic")))
                    .isEqualTo(Duration.ofDays(7));
            assertThat(retention(declared, resolveProperty("skywatch.live.topic")))
                    .isEqualTo(Duration.ofHours(1));
            assertThat(Short.parseShort(resolveProperty("skywatch.topics.replication-factor")))
                    .as("%s: replication factor of the topics the gateway creates (run-time streams)", name)
                    .isEqualTo((short) 3);
        }

        void connectionsPointAtTheClusters() {
            JsonNode kafka = only("Kafka", k -> true);
            String bootstrap = resolveProperty("kafka.bootstrap.servers");
            List<Integer> plainPorts = new ArrayList<>();
            for (JsonNode listener : kafka.path("spec").path("kafka").path("listeners")) {
                if (!listener.path("tls").asBoolean()
                        && listener.path("type").asText().equals("internal")) {
                    plainPorts.add(listener.path("port").asInt());
                }
            }
            assertThat(plainPorts).as("%s: a plain internal listener", name).isNotEmpty();
            assertThat(bootstrap)
                    .as("%s: KAFKA_BOOTSTRAP_SERVERS is the Strimzi bootstrap Service", name)
                    .isEqualTo(nameOf(kafka) + "-kafka-bootstrap:" + plainPorts.get(0));
            JsonNode mongo = only("MongoDBCommunity", m -> true);
            Set<String> connectionSecrets = new TreeSet<>();
            for (JsonNode user : mongo.path("spec").path("users")) {
                connectionSecrets.add(user.path("connectionStringSecretName").asText());
            }
            JsonNode uri = envEntry("MONGODB_URI").path("valueFrom").path("secretKeyRef");
            assertThat(uri.path("name").asText())
                    .as("%s: MONGODB_URI from the operator's connection string Secret", name)
                    .isIn(connectionSecrets);
            assertThat(uri.path("key").asText()).isEqualTo("connectionString.standard");
        }

        /**
         * The gateway runs secured, its credentials come from the Secret skywatch-security (never from the
         * ConfigMap), and an overlay that generates that Secret gives it an admin key the gateway accepts.
         */
        void securityFromSecrets() {
            assertThat(resolveProperty("skywatch.security.enabled"))
                    .as("%s: the gateway runs secured", name)
                    .isEqualTo("true");
            for (String variable : List.of("SKYWATCH_SECURITY_ADMIN_KEY", "SKYWATCH_JWT_PUBLIC_KEY")) {
                JsonNode ref = envEntry(variable).path("valueFrom").path("secretKeyRef");
                assertThat(ref.path("name").asText())
                        .as("%s: %s from the Secret skywatch-security", name, variable)
                        .isEqualTo("skywatch-security");
            }
            assertThat(envEntry("SKYWATCH_SECURITY_ADMIN_KEY")
                            .path("valueFrom")
                            .path("secretKeyRef")
                            .path("optional")
                            .asBoolean(false))
                    .as("%s: no admin key, no start (the gateway would refuse anyway)", name)
                    .isFalse();
            for (JsonNode secret : objects) {
                if (secret.path("kind").asText().equals("Secret")
                        && nameOf(secret).equals("skywatch-security")) {
                    String key = secret.path("stringData").path("admin-key").asText("");
                    assertThat(key.length())
                            .as("%s: the admin key in skywatch-security is long enough to be accepted", name)
                            .isGreaterThanOrEqualTo(32);
                }
            }
        }

        void scalingBounds() {
            JsonNode hpa = only("HorizontalPodAutoscaler", h -> true);
            assertThat(hpa.path("spec").path("scaleTargetRef").path("name").asText())
                    .isEqualTo(nameOf(deployment));
            int partitions = Integer.parseInt(resolveProperty("skywatch.topics.partitions"));
            assertThat(hpa.path("spec").path("maxReplicas").asInt())
                    .as("%s: HPA maxReplicas ≤ partitions of the raw topics (one consumer per partition)", name)
                    .isLessThanOrEqualTo(partitions);
            JsonNode podLabels =
                    deployment.path("spec").path("template").path("metadata").path("labels");
            JsonNode pdb = only("PodDisruptionBudget", p -> true);
            assertThat(selects(pdb.path("spec").path("selector").path("matchLabels"), podLabels))
                    .as("%s: PodDisruptionBudget selects the gateway pods", name)
                    .isTrue();
        }

        void networkPolicy() {
            JsonNode podLabels =
                    deployment.path("spec").path("template").path("metadata").path("labels");
            JsonNode policy = only(
                    "NetworkPolicy",
                    p -> selects(p.path("spec").path("podSelector").path("matchLabels"), podLabels));
            assertThat(policy.path("spec").path("policyTypes").toString()).contains("Ingress", "Egress");
            Set<String> ingressPorts = new TreeSet<>();
            for (JsonNode rule : policy.path("spec").path("ingress")) {
                rule.path("ports").forEach(p -> ingressPorts.add(p.path("port").asText()));
            }
            assertThat(ingressPorts).as("%s: gateway ingress ports", name).containsOnly("http", "management");
            Set<Integer> egressPorts = new TreeSet<>();
            for (JsonNode rule : policy.path("spec").path("egress")) {
                rule.path("ports").forEach(p -> egressPorts.add(p.path("port").asInt()));
            }
            int kafkaPort =
                    Integer.parseInt(resolveProperty("kafka.bootstrap.servers").replaceAll(".*:", ""));
            assertThat(egressPorts).as("%s: gateway egress ports", name).containsOnly(kafkaPort, 27017, 53);
        }

        // ---- helpers over the rendered objects

        List<JsonNode> all(String kind) {
            return objects.stream()
                    .filter(o -> o.path("kind").asText().equals(kind))
                    .toList();
        }

        JsonNode only(String kind, Predicate<JsonNode> filter) {
            List<JsonNode> found = all(kind).stream().filter(filter).toList();
            assertThat(found).as("%s: exactly one matching %s", name, kind).hasSize(1);
            return found.get(0);
        }

        /** The container's environment: its ConfigMap (envFrom) and its own entries, by name. */
        Map<String, String> environment() {
            Map<String, String> result = new LinkedHashMap<>();
            for (JsonNode from : container.path("envFrom")) {
                String configMap = from.path("configMapRef").path("name").asText();
                assertThat(configMap)
                        .as("%s: envFrom only from ConfigMaps", name)
                        .isNotBlank();
                JsonNode data =
                        only("ConfigMap", c -> nameOf(c).equals(configMap)).path("data");
                data.fieldNames()
                        .forEachRemaining(k -> result.put(k, data.path(k).asText()));
            }
            for (JsonNode e : container.path("env")) {
                // A value from a Secret or the downward API is not known here; null marks it so.
                result.put(
                        e.path("name").asText(),
                        e.has("value") ? e.path("value").asText() : null);
            }
            return result;
        }

        JsonNode envEntry(String variable) {
            for (JsonNode e : container.path("env")) {
                if (e.path("name").asText().equals(variable)) {
                    return e;
                }
            }
            throw new AssertionError(name + ": no env entry " + variable);
        }

        int containerPort(String portName) {
            for (JsonNode p : container.path("ports")) {
                if (p.path("name").asText().equals(portName)) {
                    return p.path("containerPort").asInt();
                }
            }
            throw new AssertionError(name + ": no container port named " + portName);
        }

        int port(JsonNode port) {
            return port.isInt() ? port.asInt() : containerPort(port.asText());
        }

        /** A property's value as the pod sees it: its environment first, then application.properties. */
        String resolveProperty(String property) {
            String variable = envName(property);
            if (env.containsKey(variable)) {
                return env.get(variable);
            }
            String value = properties.getOrDefault(property, skywatchDefaults.get(property));
            if (value == null) {
                JsonNode model = quarkusModel.get(property);
                return model == null || !model.hasNonNull("defaultValue")
                        ? null
                        : model.path("defaultValue").asText();
            }
            return expand(value);
        }

        String orDefault(String property, String fallback) {
            String value = resolveProperty(property);
            return value == null ? fallback : value;
        }

        /** Expands ${name} and ${name:default}: a property, else an environment variable, else the default. */
        String expand(String value) {
            Matcher m = Pattern.compile("\\$\\{([^${}:]+)(?::([^${}]*))?}").matcher(value);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String ref = m.group(1);
                String resolved = properties.containsKey(ref) || env.containsKey(envName(ref))
                        ? resolveProperty(ref)
                        : env.containsKey(ref) ? env.get(ref) : m.group(2);
                m.appendReplacement(out, Matcher.quoteReplacement(resolved == null ? "" : resolved));
            }
            m.appendTail(out);
            String expanded = out.toString();
            return expanded.equals(value) ? value : expand(expanded);
        }

        /** Topics named by the messaging channels (pattern subscriptions excluded: run-time streams). */
        Set<String> channelTopics() {
            Set<String> topics = new TreeSet<>();
            Pattern channelTopic = Pattern.compile("mp\\.messaging\\.(incoming|outgoing)\\.([^.]+)\\.topic");
            for (String key : properties.keySet()) {
                Matcher m = channelTopic.matcher(key);
                if (m.matches()
                        && !"true"
                                .equals(properties.get("mp.messaging." + m.group(1) + "." + m.group(2) + ".pattern"))) {
                    topics.add(resolveProperty(key));
                }
            }
            assertThat(topics)
                    .as("channel topics found in application.properties")
                    .hasSizeGreaterThan(5);
            return topics;
        }

        Duration retention(Map<String, JsonNode> topics, String topic) {
            return Duration.ofMillis(topics.get(topic)
                    .path("spec")
                    .path("config")
                    .path("retention.ms")
                    .asLong());
        }
    }

    // ---- what the application reads

    /** application.properties without profile-specific lines (a pod runs the prod profile). */
    static Map<String, String> readProperties() throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(PROPERTIES)) {
            p.load(in);
        }
        Map<String, String> result = new TreeMap<>();
        p.stringPropertyNames().stream().filter(k -> !k.startsWith("%")).forEach(k -> result.put(k, p.getProperty(k)));
        return result;
    }

    /** Every property of the Quarkus extensions on the classpath (their build-time configuration model). */
    static Map<String, JsonNode> quarkusConfigModel() throws IOException {
        Map<String, JsonNode> model = new HashMap<>();
        Enumeration<URL> files = KubernetesManifestsTest.class
                .getClassLoader()
                .getResources("META-INF/quarkus-config-doc/quarkus-config-model.json");
        for (URL file : Collections.list(files)) {
            try (InputStream in = file.openStream()) {
                collectProperties(JSON.readTree(in), model);
            }
        }
        assertThat(model).as("Quarkus configuration model on the classpath").containsKey("quarkus.http.port");
        return model;
    }

    private static void collectProperties(JsonNode node, Map<String, JsonNode> model) {
        if (node.path("path").has("property")) {
            model.put(node.path("path").path("property").asText(), node);
        }
        node.forEach(child -> collectProperties(child, model));
    }

    /**
     * Environment variables the gateway reads: application.properties keys and the variables its ${…} expressions
     * name, every {@link SkywatchConfig} key, and {@link #QUARKUS_KEYS_USED}, each in the env form SmallRye Config
     * maps to it.
     */
    static Set<String> knownEnvironmentVariables() {
        Set<String> keys = new TreeSet<>(properties.keySet());
        skywatchKeys("skywatch", SkywatchConfig.class, keys);
        for (String key : QUARKUS_KEYS_USED) {
            JsonNode property = quarkusModel.get(key);
            assertThat(property)
                    .as("%s in the Quarkus configuration model", key)
                    .isNotNull();
            assertThat(property.path("phase").asText())
                    .as("%s is read at run time", key)
                    .isEqualTo("RUN_TIME");
            keys.add(key);
        }
        knownKeys = keys;
        Set<String> env = new TreeSet<>();
        keys.forEach(k -> env.add(envName(k)));
        Matcher m = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]").matcher(String.join("\n", properties.values()));
        while (m.find()) {
            env.add(m.group(1));
        }
        assertThat(env).contains("SKYWATCH_INGEST_MAX_IN_FLIGHT", "KAFKA_BOOTSTRAP_SERVERS", "MONGODB_URI");
        return env;
    }

    private static void skywatchKeys(String prefix, Class<?> type, Set<String> keys) {
        for (Method method : type.getDeclaredMethods()) {
            if (method.getParameterCount() > 0 || method.isDefault() || method.isSynthetic()) {
                continue;
            }
            String key = prefix + "." + kebab(method.getName());
            Class<?> returned = method.getReturnType();
            if (returned.isInterface() && returned.getEnclosingClass() == SkywatchConfig.class) {
                skywatchKeys(key, returned, keys);
            } else {
                keys.add(key);
                WithDefault fallback = method.getAnnotation(WithDefault.class);
                if (fallback != null) {
                    skywatchDefaults.put(key, fallback.value());
                }
            }
        }
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    /** SmallRye Config's environment form of a property name. */
    static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase();
    }

    static String rulesJob() throws IOException {
        Set<String> jobs = new TreeSet<>();
        Matcher m = Pattern.compile("job=\"([^\"]+)\"").matcher(Files.readString(RULES));
        while (m.find()) {
            jobs.add(m.group(1));
        }
        assertThat(jobs).as("jobs the alerting rules select").hasSize(1);
        return jobs.iterator().next();
    }

    /** SmallRye's Duration forms: a number of seconds, 500ms / 30s / 2m / 1h / 1d, or ISO-8601. */
    static Duration duration(String value) {
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h|d)?").matcher(value);
        if (!m.matches()) {
            return Duration.parse(value);
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> Duration.ofSeconds(amount);
        };
    }

    // ---- rendering

    static String render(Path overlay) throws IOException, InterruptedException {
        Path out = Files.createTempFile("kustomize-", ".yaml");
        Path err = Files.createTempFile("kustomize-", ".err");
        try {
            Process process;
            try {
                process = new ProcessBuilder(KUBECTL, "kustomize", overlay.toString())
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
            } catch (IOException e) {
                throw new AssertionError(
                        "kubectl is needed to render kubernetes/ (Debian: apt-get install kubernetes-client; .ci/run"
                                + " installs it): " + e.getMessage(),
                        e);
            }
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("kubectl kustomize " + overlay + " did not finish within 120 s");
            }
            assertThat(process.exitValue())
                    .as("kubectl kustomize %s: %s", overlay, Files.readString(err))
                    .isZero();
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static List<JsonNode> parse(String rendered) throws IOException {
        List<JsonNode> objects = new ArrayList<>();
        try (var documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(rendered)) {
            while (documents.hasNext()) {
                JsonNode o = documents.next();
                if (o != null && !o.isNull() && !o.isEmpty()) {
                    assertThat(o.path("apiVersion").asText())
                            .as("apiVersion of %s", o.path("kind"))
                            .isNotBlank();
                    assertThat(o.path("metadata").path("name").asText())
                            .as("name of a %s", o.path("kind"))
                            .isNotBlank();
                    objects.add(o);
                }
            }
        }
        assertThat(objects).as("rendered objects").isNotEmpty();
        return objects;
    }

    static List<JsonNode> containers(JsonNode podTemplate) {
        List<JsonNode> result = new ArrayList<>();
        podTemplate.path("spec").path("containers").forEach(result::add);
        return result;
    }

    static String nameOf(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }

    static JsonNode labels(JsonNode object) {
        return object.path("metadata").path("labels");
    }

    /** Whether a label selector (a map) matches these labels. */
    static boolean selects(JsonNode selector, JsonNode labels) {
        if (selector.isMissingNode() || selector.isEmpty()) {
            return false;
        }
        var fields = selector.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            if (!field.getValue().asText().equals(labels.path(field.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }
}
