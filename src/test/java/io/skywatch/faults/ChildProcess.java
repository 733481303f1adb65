package io.skywatch.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A JVM (or native gateway executable) started by the suite, its output in a file. Every child carries
 * {@code -Dfaults.child=<run>} on its command line, so the suite can recognise (and only ever end) processes it started itself.
 */
final class ChildProcess {

    static final String MARKER = "-Dfaults.child=";

    final String name;
    final Path log;
    private final Process process;
    private final long startedNanos;

    private ChildProcess(String name, Path log, Process process) {
        this.name = name;
        this.log = log;
        this.process = process;
        this.startedNanos = System.nanoTime();
    }

    /** Starts {@code java <jvmArgs> <args>} with this JVM's java, output appended to {@code log}. */
    static ChildProcess start(
            String name, String runId, List<String> jvmArgs, List<String> args, Map<String, String> env, Path log) {
        return startExecutable(
                name, runId, Path.of(System.getProperty("java.home"), "bin", "java"), jvmArgs, args, env, log);
    }

    /**
     * Starts {@code executable <MARKER><run> <options> <args>}: a JVM, or a native executable built by Quarkus, which
     * takes {@code -D} and {@code -Xmx} options on its command line as a JVM does.
     */
    static ChildProcess startExecutable(
            String name,
            String runId,
            Path executable,
            List<String> options,
            List<String> args,
            Map<String, String> env,
            Path log) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.add(MARKER + runId);
        command.addAll(options);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(env);
        try {
            return new ChildProcess(name, log, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    double ageSeconds() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    /** kill -9: {@code destroyForcibly} sends SIGKILL on Linux; returns the exit code (137 = 128 + SIGKILL). */
    int kill9() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " (pid " + pid() + ") still alive 15 s after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing " + name, e);
        }
        return process.exitValue();
    }

    /**
     * SIGTERM, then SIGKILL if it has not exited within {@code graceSeconds}; returns the exit code, or -1 if it
     * had to be killed.
     */
    int stop(long graceSeconds) {
        process.destroy();
        try {
            if (process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                return process.exitValue();
            }
            process.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
            return -1;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Ends the process and any children it has, without grace: for clean-up, never fails. */
    void destroyQuietly() {
        try {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (RuntimeException | InterruptedException e) {
            // clean-up only
        }
    }

    /** The last {@code lines} lines of the output file. */
    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    boolean logContains(String text) {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1).contains(text);
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ", log " + log.getFileName() + ")";
    }
}
