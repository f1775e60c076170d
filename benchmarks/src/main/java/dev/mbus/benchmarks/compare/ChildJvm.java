package dev.mbus.benchmarks.compare;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link CompareChild} in a new JVM (same Java, same class path), spoken to in lines. Every
 * wait has a limit; {@link #close()}, or this JVM ending, makes sure the process is gone.
 */
final class ChildJvm implements AutoCloseable {

    /** What Agrona and Aeron's driver need opened on Java 17, and IPv4 sockets for JGroups. */
    private static final List<String> JVM_OPTIONS = List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.base/java.nio=ALL-UNNAMED", "-Djava.net.preferIPv4Stack=true");
    private static final String END = "\0end";

    private final String name;
    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread killer;

    private ChildJvm(String name, Process process) {
        this.name = name;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        killer = new Thread(process::destroyForcibly, "compare-kill-" + name);
        Runtime.getRuntime().addShutdownHook(killer);
        daemon(() -> read(), name + "-out");
        daemon(() -> passOn(process.getErrorStream()), name + "-err");
    }

    static ChildJvm start(String role, SystemUnderTest system, Mode mode, List<String> args, List<String> javaOptions)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.addAll(javaOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), CompareChild.class.getName(),
                role, system.label(), mode.label()));
        command.addAll(args);
        return new ChildJvm(system.label() + "-" + role, new ProcessBuilder(command).start());
    }

    private static void daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void read() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(CompareChild.PREFIX)) {
                    lines.add(line.substring(CompareChild.PREFIX.length()));
                } else {
                    System.err.println("[" + name + "] " + line); // a library's own output
                }
            }
        } catch (IOException e) {
            // The process is gone.
        } finally {
            lines.add(END);
        }
    }

    private void passOn(java.io.InputStream stream) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                System.err.println("[" + name + "] " + line);
            }
        } catch (IOException e) {
            // The process is gone.
        }
    }

    /** Sends {@code request} and returns the words of the answer after {@code expected}. */
    String[] request(String request, String expected, Duration limit) throws IOException, InterruptedException {
        stdin.write(request + "\n");
        stdin.flush();
        return expect(expected, limit);
    }

    /** The words after {@code expected} of the next line, which must start with it. */
    String[] expect(String expected, Duration limit) throws InterruptedException {
        String line = lines.poll(limit.toNanos(), TimeUnit.NANOSECONDS);
        if (line == null) {
            throw new IllegalStateException(name + " did not say '" + expected + "' within " + limit.toSeconds() + " s");
        }
        if (line.equals(END)) {
            lines.add(END);
            throw new IllegalStateException(name + " ended before saying '" + expected + "'");
        }
        if (!line.equals(expected) && !line.startsWith(expected + " ")) {
            throw new IllegalStateException(name + " said '" + line + "' instead of '" + expected + "'");
        }
        String rest = line.substring(expected.length()).strip();
        return rest.isEmpty() ? new String[0] : rest.split(" ");
    }

    /** Asks the process to quit, and kills it when it has not within a few seconds. */
    @Override
    public void close() throws InterruptedException {
        try {
            stdin.write("quit\n");
            stdin.close();
        } catch (IOException e) {
            // Already gone.
        }
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException e) {
            // Shutting down: the hook kills the process.
        }
    }
}
