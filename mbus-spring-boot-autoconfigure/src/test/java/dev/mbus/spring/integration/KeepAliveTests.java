package dev.mbus.spring.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.core.engine.IncomingCommand;
import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.spring.annotation.MbusListener;
import dev.mbus.spring.test.MbusTestBus;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * An application with the starter and no web server lives while its engine runs, as one with a
 * listener container does, and ends when its context closes.
 */
class KeepAliveTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aNonDaemonThreadLivesWhileTheContextRunsAndEndsWhenItCloses() throws InterruptedException {
        MbusTestBus bus = MbusTestBus.create();
        Set<Thread> before = liveNonDaemonThreads();
        List<Thread> keepers;
        try (ConfigurableApplicationContext app = Apps.start(BareApp.class, bus, "(app:bare)")) {
            keepers = startedSince(before);
            assertThat(keepers).as("non-daemon threads the engine started").isNotEmpty();
        }
        for (Thread keeper : keepers) {
            keeper.join(WAIT.toMillis());
            assertThat(keeper.isAlive()).as(keeper.getName() + " after the context closed").isFalse();
        }
    }

    @Test
    void noKeepAliveWhenTheApplicationSaysSo() {
        MbusTestBus bus = MbusTestBus.create();
        Set<Thread> before = liveNonDaemonThreads();
        try (ConfigurableApplicationContext app = Apps.start(BareApp.class, bus, "(app:bare)", "mbus.keep-alive=false")) {
            assertThat(startedSince(before)).isEmpty();
        }
    }

    /**
     * A child JVM: its main method returns at once after start-up, yet it still answers on the
     * bus, and it ends, with status 0, when told {@code mbus.quit} ({@code mbus.shutdown.on-quit}).
     */
    @Test
    void theApplicationOutlivesItsMainMethodAndEndsOnQuit() throws Exception {
        MbusTestBus bus = MbusTestBus.create();
        Address child = Address.parse("(app:keeper)");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), ChildMain.class.getName(),
                "--mbus.entity.address=(app:keeper)", "--mbus.shutdown.on-quit=true",
                "--spring.main.banner-mode=off"));
        for (String property : bus.propertyValues()) {
            command.add("--" + property);
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> output = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Void> mainReturned = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    output.add(line);
                    if (line.equals(ChildMain.RETURNED)) {
                        mainReturned.complete(null);
                    }
                }
            } catch (java.io.IOException e) {
                mainReturned.completeExceptionally(e);
            }
            mainReturned.completeExceptionally(new IllegalStateException("the child ended: " + output));
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        try (MbusEntity tester = bus.startEntity("(app:tester)")) {
            mainReturned.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            tester.awaitPeer(child, WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            IncomingCommand reply = tester.request(child, Command.of("keeper.ping"), WAIT)
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(reply.command().args()).hasSize(1);
            assertThat(process.isAlive()).isTrue();

            tester.sendReliable(child, Command.of("mbus.quit")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("ended after mbus.quit: " + output)
                    .isTrue();
            assertThat(process.exitValue()).as(String.join("\n", output)).isZero();
        } finally {
            process.destroyForcibly();
        }
    }

    private static Set<Thread> liveNonDaemonThreads() {
        Set<Thread> live = new HashSet<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (!thread.isDaemon() && thread.isAlive()) {
                live.add(thread);
            }
        }
        return live;
    }

    /** The non-daemon threads alive now that were not in {@code before}: those that keep the JVM up. */
    private static List<Thread> startedSince(Set<Thread> before) {
        List<Thread> started = new ArrayList<>(liveNonDaemonThreads());
        started.removeAll(before);
        return started;
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class BareApp {
    }

    /** A starter-only application: no web server, a listener, a main method that returns. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    public static class ChildMain {

        static final String RETURNED = "main returned";

        public static void main(String[] args) {
            SpringApplication application = new SpringApplication(ChildMain.class);
            application.setWebApplicationType(WebApplicationType.NONE);
            application.run(args);
            System.out.println(RETURNED);
        }

        @Bean
        Pong pong() {
            return new Pong();
        }
    }

    static class Pong {
        @MbusListener("keeper.ping")
        String ping() {
            return "pong";
        }
    }
}
