package dev.mbus.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mbus.core.engine.IncomingCommand;
import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.MbusValue;
import dev.mbus.spring.test.MbusTestBus;
import java.io.File;
import java.io.IOException;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged sample run with its ahead-of-time processing ({@code process-aot} during
 * {@code package}) on the JVM: {@code java -Dspring.aot.enabled=true -jar sample-app.jar}, on a
 * private loopback bus with inline keys and an empty {@code HOME}. A plain engine entity sends it
 * typed commands and a request; its listeners convert and answer as without AOT.
 */
class SampleAotIT {

    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Address PLAYER = Address.parse("(app:sample-player)");

    private static final Path JAR = Path.of(System.getProperty("sample.jar", "target/sample-app.jar"));
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    @TempDir
    Path dir;

    @Test
    void theAotProcessedApplicationRunsItsListeners() throws Exception {
        assertThat(JAR).as("the packaged sample (mvn package)").isRegularFile();
        MbusTestBus bus = MbusTestBus.create();
        int httpPort = freeTcpPort();
        Path home = Files.createDirectory(dir.resolve("home"));
        Path log = dir.resolve("app.log");
        List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-Dspring.aot.enabled=true",
                "-Duser.home=" + home, "-jar", JAR.toString(), "--server.port=" + httpPort));
        for (String property : bus.propertyValues()) {
            command.add("--" + property);
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().remove("MBUS");
        builder.environment().put("HOME", home.toString());
        Process app = builder.start();
        try (MbusEntity tester = bus.startEntity("(app:aot-tester)")) {
            awaitUp(app, httpPort, log);
            assertThat(Files.readString(log)).contains("Starting AOT-processed SampleApplication");

            tester.awaitPeer(PLAYER, WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            tester.sendReliable(PLAYER, Command.of("player.volume", 42)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            await().atMost(WAIT).untilAsserted(() -> {
                IncomingCommand reply = tester.request(PLAYER, Command.of("player.status"), WAIT)
                        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(reply.name()).isEqualTo("player.status.return");
                assertThat(reply.command().args()).extracting(MbusValue::toJava).last().isEqualTo(42L);
            });
            tester.sendReliable(PLAYER, Command.of("player.volume", 142)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            await().atMost(WAIT).untilAsserted(() -> assertThat(Files.readString(log))
                    .contains("Rejected player.volume (142)").contains("volume must be 0 to 100"));
        } catch (AssertionError | Exception e) {
            System.err.println("--- app.log\n" + Files.readString(log, StandardCharsets.UTF_8));
            throw e;
        } finally {
            app.destroy();
            if (!app.waitFor(20, TimeUnit.SECONDS)) {
                app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        try (Stream<Path> left = Files.list(home)) {
            assertThat(left).as("what the application left in HOME").isEmpty();
        }
    }

    private static void awaitUp(Process app, int httpPort, Path log) {
        await().atMost(START).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
            if (!app.isAlive()) {
                throw new AssertionError("the app exited with " + app.exitValue() + ":\n" + Files.readString(log));
            }
            HttpResponse<String> health = SampleTestSupport.get(httpPort, "/actuator/health");
            return health.statusCode() == 200 && health.body().contains("\"mbus\"");
        });
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
