package dev.mbus.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
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
 * The {@code bench-receiver} child process as the driver sees it: started with the same Java
 * and class path as this JVM, spoken to in lines on its standard input, heard in lines on its
 * standard output (each stamped with {@link System#nanoTime()} when read), its standard error
 * passed on. Every wait has a limit; {@link #close()} makes sure the process is gone.
 */
final class BenchProcess implements AutoCloseable {

    /** A line the child printed, and when the driver read it. */
    record Line(String text, long nanos) {
    }

    /** Starts every line of the protocol that the child prints. */
    static final String PREFIX = "bench: ";

    private static final Line END = new Line("", 0);

    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<Line> lines = new LinkedBlockingQueue<>();
    private final Thread shutdownHook;

    private final PrintWriter err;

    private BenchProcess(Process process, PrintWriter err) {
        this.process = process;
        this.err = err;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> readLines(process), "bench-child-out");
        reader.setDaemon(true);
        reader.start();
        Thread errors = new Thread(() -> passOn(process, err), "bench-child-err");
        errors.setDaemon(true);
        errors.start();
        shutdownHook = new Thread(process::destroyForcibly, "bench-child-kill");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts {@code mbus bench-receiver} with {@code args} in a new JVM, with {@code javaOptions},
     * or when null those of {@code $MBUS_JAVA_OPTS}, as for {@code bin/mbus}.
     */
    static BenchProcess start(String javaOptions, List<String> args, PrintWriter err) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String options = javaOptions != null ? javaOptions : System.getenv("MBUS_JAVA_OPTS");
        if (options != null && !options.isBlank()) {
            command.addAll(List.of(options.strip().split("\\s+")));
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(MbusCommand.class.getName());
        command.add("bench-receiver");
        command.addAll(args);
        return new BenchProcess(new ProcessBuilder(command).start(), err);
    }

    private void readLines(Process child) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                long nanos = System.nanoTime();
                if (line.startsWith(PREFIX)) {
                    lines.add(new Line(line.substring(PREFIX.length()), nanos));
                } else {
                    passOn(line, err); // the JVM's own output, such as a flight recording starting
                }
            }
        } catch (IOException e) {
            // The process is gone.
        } finally {
            lines.add(END);
        }
    }

    private static void passOn(Process child, PrintWriter err) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                passOn(line, err);
            }
        } catch (IOException e) {
            // The process is gone.
        }
    }

    private static void passOn(String line, PrintWriter err) {
        synchronized (err) {
            err.println("mbus bench: receiver: " + line);
            err.flush();
        }
    }

    /** Sends one line. */
    void send(String line) {
        try {
            stdin.write(line + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new IllegalStateException("the benchmark receiver process is gone (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The next line, which must start with {@code expected}.
     *
     * @throws IllegalStateException when another line comes, the process ends, or nothing comes in time
     */
    Line expect(String expected, Duration limit) throws InterruptedException {
        Line line = lines.poll(limit.toNanos(), TimeUnit.NANOSECONDS);
        if (line == null) {
            throw new IllegalStateException("the benchmark receiver did not answer '" + expected + "' within "
                    + limit.toSeconds() + " s");
        }
        if (line == END) {
            lines.add(END);
            throw new IllegalStateException("the benchmark receiver process ended" + exitStatus());
        }
        if (!line.text().startsWith(expected)) {
            throw new IllegalStateException("the benchmark receiver said '" + line.text() + "' instead of '"
                    + expected + "'");
        }
        return line;
    }

    /** Sends {@code request} and returns the answer, which must start with {@code expected}. */
    Line request(String request, String expected, Duration limit) throws InterruptedException {
        send(request);
        return expect(expected, limit);
    }

    private String exitStatus() {
        try {
            return process.waitFor(1, TimeUnit.SECONDS) ? " with exit code " + process.exitValue() : "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Asks the process to quit, and kills it when it does not within a few seconds. */
    @Override
    public void close() {
        try {
            try {
                send("quit");
                stdin.close();
            } catch (IllegalStateException | IOException e) {
                // Already gone.
            }
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // Shutting down: the hook kills the process.
            }
        }
    }
}
