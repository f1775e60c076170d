package dev.mbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A tiny benchmark run, receiver in a second JVM; checks the shape and sanity of the figures, never their size. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BenchCommandTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void printsOneJsonLinePerModeWithEveryField() {
        Cli.Result result = Cli.run("bench", "--messages", "2000", "--mode", "raw,unreliable,reliable,join",
                "--joins", "2", "--json");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<String> lines = result.outLines();
        assertThat(lines).as(result.toString()).hasSize(4);
        List<String> common = List.of("mode", "cipher", "size", "messages", "rate", "seconds", "sent_per_s",
                "received_per_s", "loss");
        for (int i = 0; i < 3; i++) {
            JsonNode line = JSON.readTree(lines.get(i));
            String mode = List.of("raw", "unreliable", "reliable").get(i);
            assertThat(line.get("mode").stringValue()).isEqualTo(mode);
            if (mode.equals("reliable")) {
                assertThat(BusCommandsTest.fieldNames(line)).containsExactlyElementsOf(concat(common,
                        List.of("commands_per_datagram", "acked_per_s", "failed", "ack_p50_ms", "ack_p99_ms",
                                "ack_p999_ms")));
                assertThat(line.get("failed").longValue()).isZero();
                assertThat(line.get("ack_p50_ms").doubleValue()).isNotNegative()
                        .isLessThanOrEqualTo(line.get("ack_p99_ms").doubleValue());
                assertThat(line.get("ack_p99_ms").doubleValue()).isLessThanOrEqualTo(line.get("ack_p999_ms").doubleValue());
                assertThat(line.get("acked_per_s").longValue()).isPositive();
                assertThat(line.get("loss").doubleValue()).as("reliable loses nothing").isZero();
            } else if (mode.equals("unreliable")) {
                assertThat(BusCommandsTest.fieldNames(line)).containsExactlyElementsOf(concat(common,
                        List.of("commands_per_datagram")));
            } else {
                assertThat(BusCommandsTest.fieldNames(line)).containsExactlyElementsOf(common);
            }
            if (line.has("commands_per_datagram")) {
                assertThat(line.get("commands_per_datagram").doubleValue()).isGreaterThanOrEqualTo(1.0);
            }
            assertThat(line.get("cipher").stringValue()).isEqualTo("NOENCR");
            assertThat(line.get("messages").longValue()).isEqualTo(2000);
            assertThat(line.get("size").longValue()).isBetween(190L, 200L);
            assertThat(line.get("rate").longValue()).isZero();
            assertThat(line.get("seconds").doubleValue()).isNotNegative();
            assertThat(line.get("sent_per_s").longValue()).isPositive();
            assertThat(line.get("received_per_s").longValue()).isNotNegative();
            assertThat(line.get("loss").doubleValue()).isBetween(0.0, 1.0);
        }
        JsonNode join = JSON.readTree(lines.get(3));
        assertThat(BusCommandsTest.fieldNames(join)).containsExactly("mode", "cipher", "joins", "join_ms", "join_max_ms",
                "discover_ms", "discover_max_ms", "start_ms");
        assertThat(join.get("joins").longValue()).isEqualTo(2);
        assertThat(join.get("join_ms").doubleValue()).isPositive().isLessThanOrEqualTo(join.get("join_max_ms").doubleValue());
        assertThat(join.get("discover_ms").doubleValue()).isPositive();
    }

    @Test
    void aPacedEncryptedRunInText() {
        Cli.Result result = Cli.run("bench", "--messages", "300", "--mode", "reliable", "--rate", "2000",
                "--cipher", "DES", "--size", "256");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.outLines()).hasSize(1);
        assertThat(result.out()).startsWith("reliable ").contains("  cipher DES  ").contains("  messages 300  ")
                .contains("  rate 2000  ").contains("  ack_p99_ms ");
    }

    @Test
    void toleratesTheReceiverJvmWritingOnItsStandardOutput() {
        Cli.Result result = Cli.run("bench", "--messages", "200", "--warmup", "0", "--mode", "unreliable",
                "--receiver-java-options", "-Xlog:os=info:stdout", "--json");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.outLines()).hasSize(1);
        assertThat(JSON.readTree(result.outLines().get(0)).get("mode").stringValue()).isEqualTo("unreliable");
        assertThat(result.err()).contains("mbus bench: receiver: [");
    }

    @Test
    void countsWhatTheEntityAcceptedWithoutAHandler() {
        Cli.Result result = Cli.run("bench", "--messages", "300", "--warmup", "0", "--mode", "reliable", "--no-handler",
                "--multicast", "--json");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        JsonNode line = JSON.readTree(result.outLines().get(0));
        assertThat(line.get("failed").longValue()).isZero();
        assertThat(line.get("loss").doubleValue()).isZero();
        assertThat(line.get("received_per_s").longValue()).isPositive();
    }

    @Test
    void refusesBadArguments() {
        for (String[] args : new String[][] {
            {"bench", "--mode", "raw,warp"},
            {"bench", "--messages", "0"},
            {"bench", "--rate", "-5"},
            {"bench", "--size", "70000"},
            {"bench", "--size", "20", "--messages", "10"},
            {"bench", "--cipher", "ROT13"},
            {"bench", "--warmup", "-1"},
        }) {
            Cli.Result result = Cli.run(args);
            assertThat(result.exitCode()).as(String.join(" ", args) + "\n" + result).isEqualTo(2);
            assertThat(result.errLines()).hasSize(1);
            assertThat(result.err()).startsWith("mbus bench: ");
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
