package dev.mbus.benchmarks.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole comparison in its quick mode, as a user runs it (its own JVM, which starts the
 * senders and receivers): every system and mode gives a line that measured something. Figures
 * are never judged here: the quick mode is far too short for that.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ComparisonQuickTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void measuresEverySystemInEveryModeEndToEnd(@TempDir Path folder) throws Exception {
        Path out = folder.resolve("out.jsonl");
        Path err = folder.resolve("err.txt");
        Process run = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Comparison.class.getName(), "--quick")
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        boolean ended = run.waitFor(9, TimeUnit.MINUTES);
        if (!ended) {
            run.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String report = "--- out:\n" + read(out) + "--- err (end):\n" + tail(read(err));

        assertThat(ended).as(report).isTrue();
        assertThat(run.exitValue()).as(report).isZero();
        List<String> expected = new ArrayList<>();
        for (SystemUnderTest system : SystemUnderTest.values()) {
            for (Mode mode : system.modes()) {
                expected.add(system.label() + " " + mode.label());
            }
        }
        List<String> measured = new ArrayList<>();
        for (String line : Files.readAllLines(out)) {
            JsonNode json = JSON.readTree(line);
            assertThat(json.has("error")).as(line).isFalse();
            assertThat(json.get("received").longValue()).as(line).isPositive();
            assertThat(json.get("msg_per_s").longValue()).as(line).isPositive();
            measured.add(json.get("system").stringValue() + " " + json.get("mode").stringValue());
        }
        assertThat(measured).as(report).containsExactlyElementsOf(expected);
        assertThat(expected).contains("raw unreliable", "aeron reliable", "mbus latency", "mbus-no-batching unreliable",
                "jgroups unreliable");
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    private static String tail(String text) {
        return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
    }
}
