package io.skywatch.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The gateway ({@code quarkus-run.jar}) as a child process of the launcher.
 *
 * <p>
 * A separate JVM rather than Quarkus in-process: stopping Quarkus and the broker in one JVM races (consumers
 * still polling a broker that is going away), while a child process can be stopped completely first.
 */
final class GatewayProcess implements AutoCloseable {

    private static final long GRACEFUL_STOP_SECONDS = 20;

    private final Process process;

    private GatewayProcess(Process process) {
        this.process = process;
    }

    /** Starts {@code java <jvmArgs> -jar <jar>} with the same JDK as this JVM, sharing this console. */
    static GatewayProcess start(Path jar, List<String> jvmArgs, Map<String, String> env) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().putAll(env);
        try {
            return new GatewayProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the gateway: " + String.join(" ", command), e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Blocks until the gateway exits and returns its exit code. */
    int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    /** SIGTERM so Quarkus shuts down gracefully; SIGKILL if it has not exited within 20 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(GRACEFUL_STOP_SECONDS, TimeUnit.SECONDS)) {
                System.getLogger(GatewayProcess.class.getName())
                        .log(
                                System.Logger.Level.WARNING,
                                "gateway did not stop within {0} s; killing it",
                                GRACEFUL_STOP_SECONDS);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
