package dev.mbus.spring.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test support never reads or creates the user's {@code ~/.mbus}: the tests of
 * {@code @EmbeddedMbus} and of a second application on a test bus (whose own configuration names
 * {@code ${user.home}/.mbus} and port 47000) run in a child JVM whose {@code HOME} and
 * {@code user.home} are an empty folder, with no {@code MBUS}, and the folder is still empty after.
 */
class TestSupportStaysOutOfHomeTests {

    @TempDir
    Path dir;

    @Test
    void testsOnATestBusLeaveAnEmptyHomeEmpty() throws Exception {
        Path home = Files.createDirectory(dir.resolve("home"));
        Path output = dir.resolve("child.out");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + home, "-cp", System.getProperty("java.class.path"), IsolatedTestRun.class.getName(),
                EmbeddedMbusTests.class.getName(), SecondContextTests.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().remove("MBUS");
        builder.environment().put("HOME", home.toString());
        Process child = builder.start();
        try {
            assertThat(child.waitFor(3, TimeUnit.MINUTES)).as("the child JVM finishes").isTrue();
        } finally {
            child.destroyForcibly();
        }
        String log = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(child.exitValue()).as(log).isZero();
        try (Stream<Path> left = Files.list(home)) {
            assertThat(left).as("what the tests left in HOME").isEmpty();
        }
    }
}
