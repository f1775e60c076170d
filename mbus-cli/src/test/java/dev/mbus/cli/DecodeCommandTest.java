package dev.mbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.core.codec.MessageCodec;
import dev.mbus.core.config.MbusConfigFile;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.DataValue;
import dev.mbus.core.message.FloatValue;
import dev.mbus.core.message.IntegerValue;
import dev.mbus.core.message.ListValue;
import dev.mbus.core.message.MbusValue;
import dev.mbus.core.message.Message;
import dev.mbus.core.message.StringValue;
import dev.mbus.core.message.SymbolValue;
import dev.mbus.core.security.DatagramSecurity;
import dev.mbus.core.testsupport.KeyFiles;
import dev.mbus.core.testsupport.WireVector;
import dev.mbus.core.testsupport.WireVectors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class DecodeCommandTest {

    static final List<String> FOLDERS = WireVectors.FOLDERS;

    private static final MessageCodec CODEC = new MessageCodec();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    static Stream<WireVector> vectors() {
        return WireVectors.all().stream();
    }

    private static String config(String folder) {
        return WireVectors.config(folder).toString();
    }

    private static String[] args(String... args) {
        return args;
    }

    private static String[] concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all.toArray(String[]::new);
    }

    private static List<String> files(List<WireVector> vectors) {
        return vectors.stream().map(v -> v.file().toString()).toList();
    }

    private static Command command(String line) {
        return CODEC.parse("mbus/1.0 0 0 U () () ()\n" + line + "\n").commands().get(0);
    }

    private static void assertMatches(Message message, WireVector vector) {
        assertThat(message.sequence()).isEqualTo(vector.seq());
        assertThat(message.timestamp()).isEqualTo(vector.timestamp());
        assertThat(message.reliable() ? "R" : "U").isEqualTo(vector.type());
        assertThat(message.source()).isEqualTo(Address.parse(vector.src()));
        assertThat(message.destination()).isEqualTo(Address.parse(vector.dst()));
        assertThat(message.acks()).isEqualTo(vector.acks());
        assertThat(message.commands()).isEqualTo(vector.commands().stream().map(DecodeCommandTest::command).toList());
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("FOLDERS")
    void printsEveryDatagramOfAFolderAsCanonicalTextUnderItsFileName(String folder) {
        List<WireVector> vectors = WireVectors.in(folder);

        Cli.Result result = Cli.run(concat(List.of("decode", "--config", config(folder)), files(vectors)));

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.err()).isEmpty();
        String[] sections = result.out().split("(?m)^# ", -1);
        assertThat(sections[0]).isEmpty();
        assertThat(sections).hasSize(vectors.size() + 1);
        for (int i = 0; i < vectors.size(); i++) {
            WireVector vector = vectors.get(i);
            String section = sections[i + 1];
            String header = vector.file() + "\n";
            assertThat(section).startsWith(header);
            String text = section.substring(header.length());
            Message message = CODEC.parse(text);
            assertMatches(message, vector);
            assertThat(text).isEqualTo(CODEC.format(message).endsWith("\n")
                    ? CODEC.format(message) : CODEC.format(message) + "\n");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void printsOneFileWithoutAFileLine(WireVector vector) {
        Cli.Result result = Cli.run("decode", "--config", config(vector.folder()), vector.file().toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).doesNotStartWith("#").endsWith("\n");
        assertMatches(CODEC.parse(result.out()), vector);
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("FOLDERS")
    void printsOneJsonLinePerDatagramAsExpectedJsonSays(String folder) {
        List<WireVector> vectors = WireVectors.in(folder);

        Cli.Result result = Cli.run(concat(List.of("decode", "--json", "--config", config(folder)), files(vectors)));

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.err()).isEmpty();
        List<String> lines = result.outLines();
        assertThat(lines).hasSize(vectors.size());
        for (int i = 0; i < vectors.size(); i++) {
            WireVector vector = vectors.get(i);
            JsonNode json = JSON.readTree(lines.get(i));
            assertThat(fieldNames(json)).containsExactly("file", "seq", "timestamp", "type", "src", "dst", "acks", "commands");
            assertThat(json.get("file").stringValue()).isEqualTo(vector.file().toString());
            assertThat(json.get("seq").longValue()).isEqualTo(vector.seq());
            assertThat(json.get("timestamp").longValue()).isEqualTo(vector.timestamp());
            assertThat(json.get("type").stringValue()).isEqualTo(vector.type());
            assertThat(strings(json.get("src"))).isEqualTo(wireElements(vector.src()));
            assertThat(strings(json.get("dst"))).isEqualTo(wireElements(vector.dst()));
            List<Long> acks = new ArrayList<>();
            json.get("acks").values().forEach(ack -> acks.add(ack.longValue()));
            assertThat(acks).isEqualTo(vector.acks());
            List<Command> commands = new ArrayList<>();
            for (JsonNode command : json.get("commands").values()) {
                assertThat(fieldNames(command)).containsExactly("name", "args");
                List<MbusValue> args = new ArrayList<>();
                command.get("args").values().forEach(arg -> args.add(value(arg)));
                commands.add(new Command(command.get("name").stringValue(), args));
            }
            assertThat(commands).isEqualTo(vector.commands().stream().map(DecodeCommandTest::command).toList());
        }
    }

    @Test
    void writesJsonInTheDocumentedShape() {
        WireVector hello = vector("noencr/hello.bin");

        Cli.Result result = Cli.run("decode", "--json", "--config", config("noencr"), hello.file().toString());

        assertThat(result.out()).isEqualTo("{\"file\":\"" + hello.file() + "\",\"seq\":4,\"timestamp\":1795672081135,"
                + "\"type\":\"U\",\"src\":[\"app:ucl\",\"id:1-1@localhost\"],\"dst\":[],\"acks\":[],"
                + "\"commands\":[{\"name\":\"mbus.hello\",\"args\":[]}]}\n");
    }

    @Test
    void writesEveryValueTypeInJson() {
        WireVector typed = vector("noencr/multi_cmd_typed.bin");
        WireVector data = vector("sha1-aes/multi_cmd_typed.bin");

        String noencr = Cli.run("decode", "--json", "--config", config("noencr"), typed.file().toString()).out();
        String aes = Cli.run("decode", "--json", "--config", config("sha1-aes"), data.file().toString()).out();

        assertThat(noencr)
                .contains("{\"name\":\"test.int\",\"args\":[{\"int\":12345}]}")
                .contains("{\"name\":\"test.float\",\"args\":[{\"float\":-500.0},{\"float\":3.14}]}")
                .contains("{\"name\":\"test.str\",\"args\":[{\"string\":\"he said \\\"hi\\\"\"}]}")
                .contains("{\"name\":\"test.sym\",\"args\":[{\"symbol\":\"ON\"}]}")
                .contains("{\"list\":[{\"int\":1},{\"int\":2},{\"list\":[{\"float\":3.5},{\"string\":\"x\"},"
                        + "{\"list\":[{\"symbol\":\"sym\"}]}]}]}");
        assertThat(aes)
                .contains("{\"name\":\"test.data\",\"args\":[{\"data\":\"AAECAwQ=\"}]}")
                .contains("{\"string\":\"café \\\\ \\\"q\\\" line\\nbreak\"}")
                .contains("{\"int\":-9223372036854775808},{\"int\":12},{\"float\":-0.25}")
                .contains("\"acks\":[4,5]");
    }

    @Test
    void keepsTheFileNameAsGiven() throws IOException {
        WireVector hello = vector("noencr/hello.bin");
        Path copy = Files.copy(hello.file(), tmp.resolve("hello.bin"));

        Cli.Result result = Cli.run("decode", "--json", "--config", config("noencr"),
                tmp + "/./hello.bin", copy.toString());

        List<String> lines = result.outLines();
        assertThat(JSON.readTree(lines.get(0)).get("file").stringValue()).isEqualTo(tmp + "/./hello.bin");
        assertThat(JSON.readTree(lines.get(1)).get("file").stringValue()).isEqualTo(copy.toString());
    }

    @Test
    void reportsEachBadFileOnOneLineAndStillDecodesTheOthers() throws IOException {
        WireVector hello = vector("noencr/hello.bin");
        WireVector typed = vector("noencr/multi_cmd_typed.bin");
        byte[] good = typed.bytes();

        Path truncated = write("truncated.bin", Arrays.copyOf(good, good.length - 10));
        byte[] flippedBytes = good.clone();
        flippedBytes[40] ^= 0x20;
        Path flipped = write("flipped.bin", flippedBytes);
        Path wrongKey = vector("sha1-aes/hello.bin").file();
        byte[] noise = new byte[200];
        new Random(42).nextBytes(noise);
        Path garbage = write("garbage.bin", noise);
        Path tiny = write("tiny.bin", new byte[] {'x'});
        Path missing = tmp.resolve("missing.bin");
        Path oversized = write("oversized.bin", new byte[70_000]);
        byte[] badText = "mbus/1.0 1 2 U () () ()\ntest.str (\"unterminated)\n".getBytes(StandardCharsets.US_ASCII);
        Path parseError = write("parse-error.bin",
                new DatagramSecurity(MbusConfigFile.read(WireVectors.config("noencr")).keys()).seal(badText, 0, badText.length));

        Cli.Result result = Cli.run("decode", "--config", config("noencr"), truncated.toString(),
                hello.file().toString(), flipped.toString(), wrongKey.toString(), garbage.toString(), tiny.toString(),
                missing.toString(), oversized.toString(), parseError.toString(), typed.file().toString(),
                tmp.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        List<String> errors = result.errLines();
        assertThat(errors).as(result.toString()).hasSize(9);
        assertThat(errors.get(0)).isEqualTo(truncated + ": bad digest");
        assertThat(errors.get(1)).isEqualTo(flipped + ": bad digest");
        assertThat(errors.get(2)).isEqualTo(wrongKey + ": bad digest");
        assertThat(errors.get(3)).startsWith(garbage + ": ");
        assertThat(errors.get(4)).startsWith(tiny + ": ").doesNotContain("Exception");
        assertThat(errors.get(5)).isEqualTo(missing + ": no such file");
        assertThat(errors.get(6)).isEqualTo(oversized + ": oversized: 70000 bytes, more than the 65507 a datagram can carry");
        assertThat(errors.get(7)).startsWith(parseError + ": parse error at byte ");
        assertThat(errors.get(8)).isEqualTo(tmp + ": is a directory");
        assertThat(result.err()).doesNotContain("\tat ");
        assertThat(result.out()).contains("# " + hello.file() + "\n").contains("# " + typed.file() + "\n")
                .doesNotContain("# " + truncated).doesNotContain("# " + missing);
        assertMatches(CODEC.parse(result.out().split("(?m)^# ")[2].split("\n", 2)[1]), typed);
    }

    @Test
    void reportsBadFilesTheSameWayInJsonMode() throws IOException {
        WireVector hello = vector("des/hello.bin");
        Path missing = tmp.resolve("nope.bin");

        Cli.Result result = Cli.run("decode", "--json", "--config", config("des"), missing.toString(),
                hello.file().toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).containsExactly(missing + ": no such file");
        assertThat(result.outLines()).hasSize(1);
        assertThat(JSON.readTree(result.outLines().get(0)).get("seq").longValue()).isEqualTo(hello.seq());
    }

    @Test
    void refusesAMissingConfigurationFileWithoutCreatingOne() {
        Path config = tmp.resolve("no-such.mbus");

        Cli.Result result = Cli.run("decode", "--config", config.toString(), vector("noencr/hello.bin").file().toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).hasSize(1);
        assertThat(result.err()).contains(config.toString());
        assertThat(result.out()).isEmpty();
        assertThat(config).doesNotExist();
    }

    @Test
    void refusesABadConfigurationFileOnOneLine() throws IOException {
        Path config = KeyFiles.write(tmp.resolve("bad.mbus"), "[MBUS]\nHASHKEY=(HMAC-MD5-96,%%%)\nENCRYPTIONKEY=(NOENCR)\n");

        Cli.Result result = Cli.run("decode", "--config", config.toString(), vector("noencr/hello.bin").file().toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).hasSize(1);
        assertThat(result.err()).startsWith("mbus decode: ").contains("bad.mbus:2: HASHKEY: bad base64 key")
                .doesNotContain("\tat ");
    }

    @Test
    void needsAtLeastOneFile() {
        Cli.Result result = Cli.run("decode", "--config", config("noencr"));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("DATAGRAM_FILE");
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(tmp.resolve(name), bytes);
    }

    private static WireVector vector(String name) {
        return WireVectors.all().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
    }

    private static List<String> fieldNames(JsonNode node) {
        return node.properties().stream().map(Map.Entry::getKey).toList();
    }

    private static List<String> strings(JsonNode array) {
        List<String> strings = new ArrayList<>();
        array.values().forEach(node -> strings.add(node.stringValue()));
        return strings;
    }

    /** The elements of a written address in wire order. */
    private static List<String> wireElements(String address) {
        String inner = address.substring(1, address.length() - 1).strip();
        return inner.isEmpty() ? List.of() : Arrays.asList(inner.split(" +"));
    }

    /** A value from its JSON form, read independently of {@link MessageJson}. */
    private static MbusValue value(JsonNode node) {
        assertThat(node.size()).isEqualTo(1);
        Map.Entry<String, JsonNode> entry = node.properties().iterator().next();
        JsonNode v = entry.getValue();
        switch (entry.getKey()) {
            case "int":
                assertThat(v.isIntegralNumber()).isTrue();
                return new IntegerValue(v.longValue());
            case "float":
                assertThat(v.isFloatingPointNumber()).isTrue();
                return new FloatValue(v.doubleValue());
            case "string":
                return new StringValue(v.stringValue());
            case "symbol":
                return new SymbolValue(v.stringValue());
            case "data":
                return new DataValue(Base64.getDecoder().decode(v.stringValue()));
            case "list":
                List<MbusValue> elements = new ArrayList<>();
                v.values().forEach(element -> elements.add(value(element)));
                return new ListValue(elements);
            default:
                throw new AssertionError("unknown value type " + entry.getKey());
        }
    }
}
