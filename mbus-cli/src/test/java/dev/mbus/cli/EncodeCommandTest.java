package dev.mbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.core.codec.DatagramCodec;
import dev.mbus.core.message.Message;
import dev.mbus.core.testsupport.WireVector;
import dev.mbus.core.testsupport.WireVectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EncodeCommandTest {

    @TempDir
    Path tmp;

    static Stream<WireVector> vectors() {
        return WireVectors.all().stream();
    }

    private static DatagramCodec codec(String folder) {
        return new DatagramCodec(WireVectors.keys(folder));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void encodesWhatDecodePrintsBackIntoTheSameMessage(WireVector vector) throws IOException {
        String config = WireVectors.config(vector.folder()).toString();
        Cli.Result decoded = Cli.run("decode", "--config", config, vector.file().toString());
        Path out = tmp.resolve("out.bin");

        Cli.Result encoded = Cli.runWithInput(decoded.out(), "encode", "--config", config, "--out", out.toString());

        assertThat(encoded.exitCode()).as(encoded.toString()).isZero();
        assertThat(encoded.out()).isEmpty();
        assertThat(encoded.err()).isEmpty();
        byte[] datagram = Files.readAllBytes(out);
        DatagramCodec codec = codec(vector.folder());
        Message original = codec.decode(vector.bytes());
        assertThat(codec.decode(datagram)).isEqualTo(original);
        assertThat(datagram).isEqualTo(codec.encode(original));

        Cli.Result again = Cli.run("decode", "--config", config, out.toString());
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).isEqualTo(decoded.out());
    }

    @Test
    void encryptsPerTheConfiguration() throws IOException {
        String text = "mbus/1.0 7 1795672200000 R (app:cli id:9-1@localhost) (app:ucl) (1 2)\n"
                + "tool.rat.volume (75)\ntool.rat.codec (\"PCMU\" 8000 1)\n";
        for (String folder : WireVectors.FOLDERS) {
            Path out = tmp.resolve(folder + ".bin");
            Cli.Result result = Cli.runWithInput(text, "encode", "--config", WireVectors.config(folder).toString(),
                    "--out", out.toString());
            assertThat(result.exitCode()).as(result.toString()).isZero();
            byte[] datagram = Files.readAllBytes(out);
            String body = new String(datagram, 17, datagram.length - 17, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (folder.equals("noencr")) {
                assertThat(body).contains("tool.rat.volume");
            } else {
                assertThat(body).doesNotContain("tool.rat");
                assertThat((datagram.length - 17) % (folder.equals("des") ? 8 : 16)).isZero();
            }
            Message message = codec(folder).decode(datagram);
            assertThat(message.sequence()).isEqualTo(7);
            assertThat(message.reliable()).isTrue();
            assertThat(message.acks()).containsExactly(1L, 2L);
            assertThat(message.commands()).hasSize(2);
        }
    }

    @Test
    void refusesBadTextOnOneLine() {
        Path out = tmp.resolve("out.bin");

        Cli.Result result = Cli.runWithInput("mbus/1.0 1 2 U () () ()\ntest.str (\"unterminated)\n",
                "encode", "--config", WireVectors.config("noencr").toString(), "--out", out.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).hasSize(1);
        assertThat(result.err()).startsWith("mbus encode: standard input: parse error at byte ");
        assertThat(out).doesNotExist();
    }

    @Test
    void refusesEmptyInput() {
        Cli.Result result = Cli.runWithInput("", "encode", "--config", WireVectors.config("noencr").toString(),
                "--out", tmp.resolve("out.bin").toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).hasSize(1);
    }

    @Test
    void refusesInvalidUtf8() {
        byte[] text = "mbus/1.0 1 2 U () () ()\ntest.str (\"\u00ff\")\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

        Cli.Result result = Cli.runWithInput(text, "encode", "--config", WireVectors.config("noencr").toString(),
                "--out", tmp.resolve("out.bin").toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("mbus encode: standard input: not valid UTF-8\n");
    }

    @Test
    void refusesAMessageTooLargeForADatagram() {
        // 65,498 bytes of text: within the parser's limit, but over 65,507 once padded to DES
        // blocks and signed.
        String text = "mbus/1.0 1 2 U () () ()\ntest.str (\"" + "x".repeat(65_460) + "\")\n";
        Path out = tmp.resolve("out.bin");

        Cli.Result result = Cli.runWithInput(text, "encode", "--config", WireVectors.config("des").toString(),
                "--out", out.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).hasSize(1);
        assertThat(result.err()).startsWith("mbus encode: message too large").contains("65521").contains("65507");
        assertThat(out).doesNotExist();
    }

    @Test
    void refusesTextLargerThanAnyDatagram() {
        String text = "mbus/1.0 1 2 U () () ()\ntest.str (\"" + "x".repeat(70_000) + "\")\n";

        Cli.Result result = Cli.runWithInput(text, "encode", "--config", WireVectors.config("noencr").toString(),
                "--out", tmp.resolve("out.bin").toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).hasSize(1);
        assertThat(result.err()).startsWith("mbus encode: standard input: ").contains("65507");
    }

    @Test
    void refusesAnUnwritableOutput() {
        Path out = tmp.resolve("no/such/dir/out.bin");

        Cli.Result result = Cli.runWithInput("mbus/1.0 1 2 U () () ()\n", "encode",
                "--config", WireVectors.config("noencr").toString(), "--out", out.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("mbus encode: " + out + ": cannot write: no such directory\n");
    }

    @Test
    void needsOut() {
        Cli.Result result = Cli.runWithInput("mbus/1.0 1 2 U () () ()\n", "encode",
                "--config", WireVectors.config("noencr").toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--out");
    }

    @Test
    void refusesAMissingConfigurationFileWithoutCreatingOne() {
        Path config = tmp.resolve("absent.mbus");

        Cli.Result result = Cli.runWithInput("mbus/1.0 1 2 U () () ()\n", "encode", "--config", config.toString(),
                "--out", tmp.resolve("out.bin").toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).hasSize(1);
        assertThat(config).doesNotExist();
    }
}
