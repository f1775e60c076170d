package dev.mbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/mbus listen} as a user stops it: Ctrl-C ends it normally, after it said bye. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ListenLauncherIT {

    private static final Path LAUNCHER = Paths.get(System.getProperty("mbus.launcher", "../bin/mbus"))
            .toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void ctrlCLeavesTheBusAndExitsWithZero() throws Exception {
        try (TestBus bus = new TestBus(tmp)) {
            TestBus.Background sniffer = bus.listener("--seconds", "50", "--all", "--json", "--address", "(app:sniffer)");
            List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
            command.addAll(List.of(bus.args("listen", "--address", "(app:stopped)")));
            Path out = Files.createTempFile(tmp, "out", ".txt");
            Path err = Files.createTempFile(tmp, "err", ".txt");
            Process listen = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try {
                TestBus.await(() -> sniffer.out().contains("\"app:stopped\""), "the listener's hello");
                TestBus.await(() -> readQuietly(err).contains("listening as"), "the listener ready");

                new ProcessBuilder("kill", "-INT", String.valueOf(listen.pid())).start().waitFor(10, TimeUnit.SECONDS);

                assertThat(listen.waitFor(20, TimeUnit.SECONDS)).as("stopped").isTrue();
                assertThat(listen.exitValue()).as(readQuietly(err)).isZero();
                TestBus.await(() -> sniffer.outLines().stream()
                        .anyMatch(line -> line.contains("\"app:stopped\"") && line.contains("mbus.bye")), "its bye");
            } finally {
                listen.destroyForcibly();
            }
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
