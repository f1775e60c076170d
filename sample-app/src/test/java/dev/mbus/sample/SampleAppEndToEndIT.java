package dev.mbus.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The packaged application as a newcomer meets it: {@code java -jar sample-app.jar} in its own
 * process, driven with {@code bin/mbus}. Runs in {@code verify}, after {@code package} (failsafe).
 *
 * <p>Everything happens on loopback: a private bus on a free UDP port with a configuration file
 * of fresh keys written by {@code bin/mbus keygen} ({@code MBUS} and {@code HOME} point into a
 * temporary folder, so {@code ~/.mbus} is never read), the web server on a free port of localhost.
 * Every process is destroyed at the end, whatever happens.
 */
class SampleAppEndToEndIT {

    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static final Path JAR = Path.of(System.getProperty("sample.jar", "target/sample-app.jar"));
    private static final Path LAUNCHER = Path.of(System.getProperty("mbus.launcher", "../bin/mbus"));
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    @TempDir
    Path dir;

    int busPort;
    int httpPort;
    Path config;
    final List<Process> processes = new ArrayList<>();

    @Test
    void theCommandLineToolDrivesThePackagedApplication() throws Exception {
        assertThat(JAR).as("the packaged sample (mvn package)").isRegularFile();
        assertThat(LAUNCHER).as("bin/mbus").isRegularFile();
        busPort = freeUdpPort();
        httpPort = freeTcpPort();
        config = dir.resolve("mbus.conf");
        try {
            assertThat(mbus("keygen", "--out", config.toString(), "--port", Integer.toString(busPort)).exitCode)
                    .isZero();

            Process app = start(dir.resolve("app.log"), null, JAVA.toString(), "-jar", JAR.toString(),
                    "--server.port=" + httpPort, "--server.address=localhost", "--mbus.transport.port=" + busPort);
            awaitUp(app);

            // A listener that prints everything on the bus, until it is stopped.
            Process listener = start(dir.resolve("listen.out"), dir.resolve("listen.err"), LAUNCHER.toString(),
                    "listen", "--all", "--json", "--seconds", "120", "--port", Integer.toString(busPort),
                    "--config", config.toString());
            await().atMost(WAIT).until(() -> read("listen.err").contains("listening as"));

            // bin/mbus peers shows the app.
            Result peers = mbus("peers", "--seconds", "2", "--json", "--port", Integer.toString(busPort),
                    "--config", config.toString());
            assertThat(peers.exitCode).as(peers.output).isZero();
            assertThat(peers.output).contains("\"app:sample-player\"");

            // A reliable send is acknowledged, and the app's handler runs.
            Result send = mbus("send", "(app:sample-player)", "player.volume", "(42)", "--reliable",
                    "--port", Integer.toString(busPort), "--config", config.toString());
            assertThat(send.exitCode).as(send.output).isZero();
            await().atMost(WAIT).untilAsserted(() -> assertThat(read("app.log"))
                    .contains("Received player.volume (42) from (app:mbus-cli"));
            assertThat(SampleTestSupport.get(httpPort, "/api/messages").body()).contains("player.volume (42)");

            // The health of the app lists the CLI's listener as a peer.
            await().atMost(WAIT).untilAsserted(() -> {
                JsonNode mbusHealth = SampleTestSupport.json(SampleTestSupport.get(httpPort, "/actuator/health").body())
                        .path("components").path("mbus");
                assertThat(mbusHealth.path("status").asString()).isEqualTo("UP");
                assertThat(mbusHealth.path("details").path("peers").findValuesAsString("address"))
                        .anyMatch(address -> address.contains("app:mbus-cli"));
            });

            // Stopped gracefully (SIGTERM), the app says bye, and the listener hears it.
            app.destroy();
            assertThat(app.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the app stops on SIGTERM").isTrue();
            await().atMost(WAIT).untilAsserted(() -> assertThat(read("listen.out").lines()
                    .filter(line -> line.contains("\"mbus.bye\"") && line.contains("\"app:sample-player\"")))
                    .as("mbus.bye of the app in the listener's output").isNotEmpty());
            assertThat(read("app.log")).contains("Left the Mbus bus as (app:sample-player");
            listener.destroy();
        } catch (AssertionError | Exception e) {
            System.err.println("--- app.log\n" + read("app.log") + "\n--- listen.out\n" + read("listen.out")
                    + "\n--- listen.err\n" + read("listen.err"));
            throw e;
        } finally {
            for (Process process : processes) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    private void awaitUp(Process app) {
        await().atMost(START).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
            if (!app.isAlive()) {
                throw new AssertionError("the app exited with " + app.exitValue() + ":\n" + read("app.log"));
            }
            HttpResponse<String> health = SampleTestSupport.get(httpPort, "/actuator/health");
            return health.statusCode() == 200 && health.body().contains("\"mbus\"");
        });
    }

    record Result(int exitCode, String output) {
    }

    /** Runs {@code bin/mbus} to the end (at most a minute) and returns its exit code and output. */
    private Result mbus(String... args) throws Exception {
        Path out = Files.createTempFile(dir, "mbus-", ".out");
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        Process process = start(out, null, command.toArray(String[]::new));
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("bin/mbus " + String.join(" ", args) + " did not finish within 60 s");
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    /** Starts a process on this test's bus; standard error goes with standard output when {@code err} is null. */
    private Process start(Path out, Path err, String... command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile());
        if (err == null) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectError(err.toFile());
        }
        builder.environment().put("MBUS", config.toString());
        builder.environment().put("HOME", dir.toString());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private String read(String file) throws IOException {
        Path path = dir.resolve(file);
        return Files.exists(path) ? Files.readString(path, StandardCharsets.UTF_8) : "";
    }

    private static int freeUdpPort() throws IOException {
        while (true) {
            try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                if (socket.getLocalPort() != 47000) {
                    return socket.getLocalPort();
                }
            }
        }
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
