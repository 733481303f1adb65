package io.skywatch.embedded;

import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.Logger;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.handlers.ConsoleHandler;

/**
 * Logging set-up for a JVM that hosts the embedded broker and Mongo server.
 *
 * <p>
 * On the test classpath SLF4J binds to jboss-logmanager (slf4j-jboss-logmanager, via the Quarkus
 * dependencies), and quarkus-bootstrap-runner puts a {@code QuarkusDelayedHandler} on its root logger that only
 * buffers records until a Quarkus application activates it. In a plain JVM nothing does, so the broker would be
 * silent even about errors. Quarkus tests activate it themselves; the launcher has to set up a console.
 */
public final class EmbeddedLogging {

    /** Categories of the broker, its ZooKeeper-era leftovers and the Mongo wire server, which log a lot at INFO. */
    public static final List<String> NOISY_CATEGORIES =
            List.of("kafka", "state.change.logger", "org.apache.kafka", "org.apache.zookeeper", "de.bwaldvogel.mongo");

    private EmbeddedLogging() {}

    /**
     * Makes jboss-logmanager the JUL log manager. Must run before anything touches {@code java.util.logging} or
     * {@code System.getLogger}, otherwise the JDK picks its own manager and jboss-logmanager complains.
     */
    public static void useJBossLogManager() {
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
    }

    /** Sets the noisy infrastructure categories to WARN; other categories keep their level. */
    public static void quietInfrastructure() {
        LogContext context = LogContext.getSystemLogContext();
        NOISY_CATEGORIES.forEach(category -> context.getLogger(category).setLevel(Level.WARNING));
    }

    /**
     * Makes a stderr console the only handler of the root logger, replacing the buffering handler described
     * above; root level INFO, so that with {@link #quietInfrastructure()} only the infrastructure's warnings show.
     */
    public static void consoleOnly() {
        Logger root = LogContext.getSystemLogContext().getLogger("");
        ConsoleHandler console = new ConsoleHandler(
                ConsoleHandler.Target.SYSTEM_ERR, new PatternFormatter("%d{HH:mm:ss,SSS} %-5p [%c{3.}] %s%e%n"));
        root.setHandlers(new Handler[] {console});
        root.setLevel(Level.INFO);
    }
}
