package dev.mbus.core.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.core.testsupport.WireVector;
import dev.mbus.core.testsupport.WireVectors;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.DataValue;
import dev.mbus.core.message.FloatValue;
import dev.mbus.core.message.IntegerValue;
import dev.mbus.core.message.ListValue;
import dev.mbus.core.message.Message;
import dev.mbus.core.message.StringValue;
import dev.mbus.core.message.SymbolValue;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The plaintexts of the wire vectors (shared/vectors/expected.json) decode to what the independent decoder read. */
class VectorsTest {

    private static final MessageCodec CODEC = new MessageCodec();

    static Stream<WireVector> vectors() {
        return WireVectors.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void plaintextDecodesToTheExpectedFields(WireVector vector) {
        Message message = CODEC.decode(vector.plaintextBytes());

        assertThat(message).isEqualTo(vector.expectedMessage());
        // and the canonical text reads back to the same message
        assertThat(CODEC.decode(CODEC.encode(message))).isEqualTo(message);
    }

    /** The datagrams without a cipher: the others need the security layer to decrypt. */
    static Stream<WireVector> unencrypted() {
        return WireVectors.in("noencr").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unencrypted")
    void unencryptedDatagramCarriesThePlaintextAfterTheDigestLine(WireVector vector) {
        byte[] datagram = vector.bytes();
        assertThat(datagram[16]).isEqualTo((byte) '\n');

        Message message = CODEC.decode(datagram, 17, datagram.length - 17);

        assertThat(message).isEqualTo(vector.expectedMessage());
    }

    @Test
    void typedValuesOfTheReferenceImplementation() {
        Message message = decodeVector("noencr/multi_cmd_typed.bin");

        assertThat(message.commands()).containsExactly(
                new Command("test.int", List.of(new IntegerValue(12345))),
                new Command("test.float", List.of(new FloatValue(-500.0), new FloatValue(3.14))),
                new Command("test.str", List.of(new StringValue("he said \"hi\""))),
                new Command("test.list", List.of(ListValue.of(1, 2, ListValue.of(3.5, "x", ListValue.of(new SymbolValue("sym")))))),
                new Command("test.sym", List.of(new SymbolValue("ON"))),
                new Command("test.mixed", List.of(new IntegerValue(42), new FloatValue(3.14), new StringValue("a \"b\" c"),
                        ListValue.of(new SymbolValue("x"), ListValue.of(1, 2)), new SymbolValue("foo_bar"))));
        assertThat(message.sequence()).isEqualTo(3);
        assertThat(message.reliable()).isFalse();
    }

    @Test
    void typedValuesOfTheIndependentImplementation() {
        Message message = decodeVector("sha1-aes/multi_cmd_typed.bin");

        assertThat(message.acks()).containsExactly(4L, 5L);
        assertThat(message.reliable()).isTrue();
        assertThat(message.commands().get(0).arg(0)).isEqualTo(new StringValue("café \\ \"q\" line\nbreak"));
        assertThat(((DataValue) message.commands().get(1).arg(0)).bytes()).containsExactly(0, 1, 2, 3, 4);
        assertThat(message.commands().get(2).args()).isEmpty();
        assertThat(message.commands().get(3).args()).containsExactly(
                new IntegerValue(Long.MIN_VALUE), new IntegerValue(12), new FloatValue(-0.25));
    }

    @Test
    void paddedNumbersOfTheReferenceImplementation() {
        Message ack = decodeVector("noencr/ack.bin");

        assertThat(ack.sequence()).isEqualTo(6);
        assertThat(ack.acks()).containsExactly(3L);
        assertThat(ack.isBareAck()).isTrue();
        assertThat(CODEC.format(ack)).startsWith("mbus/1.0 6 1795672082199 U (app:ucl id:1-1@localhost) ").endsWith(" (3)\n");
    }

    @Test
    void canonicalPlaintextIsWrittenBackByteForByte() {
        // The independent implementation writes the canonical form: unpadded, single spaces.
        String plaintext = "mbus/1.0 17 1795672200000 U (app:indep id:77-1@localhost) () ()\nmbus.hello ()\n";
        assertThat(WireVectors.named("sha1-aes/hello.bin").plaintext()).isEqualTo(plaintext);

        assertThat(CODEC.encode(CODEC.parse(plaintext))).isEqualTo(plaintext.getBytes(UTF_8));
    }

    private static Message decodeVector(String name) {
        return CODEC.decode(WireVectors.named(name).plaintextBytes());
    }
}
