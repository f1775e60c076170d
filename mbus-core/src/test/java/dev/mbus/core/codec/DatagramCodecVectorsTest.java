package dev.mbus.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mbus.core.InvalidDatagramException;
import dev.mbus.core.InvalidDatagramException.Reason;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.Message;
import dev.mbus.core.message.StringValue;
import dev.mbus.core.security.DatagramSecurity;
import dev.mbus.core.testsupport.WireVector;
import dev.mbus.core.testsupport.WireVectors;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link DatagramCodec} against the captured datagrams of {@code shared/vectors}. */
class DatagramCodecVectorsTest {

    private static final MessageCodec CODEC = new MessageCodec();

    static Stream<WireVector> vectors() {
        return WireVectors.all().stream();
    }

    private static DatagramCodec codecFor(String folder) {
        return new DatagramCodec(WireVectors.keys(folder));
    }

    @Test
    void everyFolderHasVectors() {
        for (String folder : WireVectors.FOLDERS) {
            assertThat(WireVectors.in(folder)).as(folder).isNotEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void decodesToWhatExpectedJsonSays(WireVector vector) {
        byte[] datagram = vector.bytes();
        assertThat(datagram).hasSize(vector.length());

        Message message = codecFor(vector.folder()).decode(datagram, 0, datagram.length);

        assertThat(message).isEqualTo(vector.expectedMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void decodesFromAnOffsetInALargerBuffer(WireVector vector) {
        byte[] datagram = vector.bytes();
        byte[] buffer = new byte[datagram.length + 20];
        Arrays.fill(buffer, (byte) 'x');
        System.arraycopy(datagram, 0, buffer, 7, datagram.length);
        DatagramCodec codec = codecFor(vector.folder());

        assertThat(codec.decode(buffer, 7, datagram.length)).isEqualTo(codec.decode(datagram));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void sealingTheExpectedPlaintextGivesTheCapturedDatagram(WireVector vector) {
        DatagramSecurity security = new DatagramSecurity(WireVectors.keys(vector.folder()));
        byte[] plaintext = vector.plaintextBytes();

        byte[] sealed = security.seal(plaintext, 0, plaintext.length);

        assertThat(sealed).isEqualTo(vector.bytes());
        assertThat(security.sealedLength(plaintext.length)).isEqualTo(vector.length());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void encodeThenDecodeGivesTheSameMessage(WireVector vector) {
        DatagramCodec codec = codecFor(vector.folder());
        Message message = codec.decode(vector.bytes());

        assertThat(codec.decode(codec.encode(message))).isEqualTo(message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void aFlippedByteIsRefusedAsBadDigest(WireVector vector) {
        byte[] datagram = vector.bytes();
        datagram[datagram.length - 1] ^= 0x01;

        assertThatThrownBy(() -> codecFor(vector.folder()).decode(datagram))
                .isInstanceOf(InvalidDatagramException.class)
                .extracting(e -> ((InvalidDatagramException) e).reason()).isEqualTo(Reason.BAD_DIGEST);
    }

    @Test
    void aDatagramUnderAnotherKeyIsRefusedAsBadDigest() {
        byte[] datagram = WireVectors.in("sha1-aes").get(0).bytes();

        assertThatThrownBy(() -> codecFor("noencr").decode(datagram))
                .isInstanceOf(InvalidDatagramException.class)
                .extracting(e -> ((InvalidDatagramException) e).reason()).isEqualTo(Reason.BAD_DIGEST);
    }

    @ParameterizedTest
    @ValueSource(ints = {DatagramCodec.MAX_DATAGRAM_BYTES + 1, 100_000})
    void oversizedInputIsRefusedBeforeAnythingElse(int size) {
        byte[] datagram = new byte[size];
        Arrays.fill(datagram, (byte) 'A');

        assertThatThrownBy(() -> codecFor("noencr").decode(datagram, 0, datagram.length))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessage("message of " + size + " bytes exceeds the limit of 65507")
                .extracting(e -> ((InvalidDatagramException) e).reason()).isEqualTo(Reason.OVERSIZED);
    }

    @Test
    void nullAndBadRangesAreInvalidDatagramsNotCrashes() {
        DatagramCodec codec = codecFor("noencr");
        byte[] datagram = new byte[10];

        assertThatThrownBy(() -> codec.decode(null)).isInstanceOf(InvalidDatagramException.class);
        assertThatThrownBy(() -> codec.decode(null, 0, 0)).isInstanceOf(InvalidDatagramException.class);
        assertThatThrownBy(() -> codec.decode(datagram, 5, 6)).isInstanceOf(InvalidDatagramException.class);
        assertThatThrownBy(() -> codec.decode(datagram, -1, 2)).isInstanceOf(InvalidDatagramException.class);
        assertThatThrownBy(() -> codec.decode(datagram, 0, -1)).isInstanceOf(InvalidDatagramException.class);
        assertThatThrownBy(() -> codec.decode(datagram, Integer.MAX_VALUE, 2)).isInstanceOf(InvalidDatagramException.class);
    }

    @Test
    void aDatagramOfExactlyTheLimitIsNotRefusedForItsSize() {
        byte[] datagram = new byte[DatagramCodec.MAX_DATAGRAM_BYTES];
        Arrays.fill(datagram, (byte) 'A');
        datagram[16] = '\n';

        assertThatThrownBy(() -> codecFor("noencr").decode(datagram))
                .isInstanceOf(InvalidDatagramException.class)
                .extracting(e -> ((InvalidDatagramException) e).reason()).isNotEqualTo(Reason.OVERSIZED);
    }

    @Test
    void encodesAMessageThatFillsADatagramExactly() {
        DatagramCodec codec = codecFor("noencr");
        Message small = withText("");
        int overhead = codec.encode(small).length;
        Message full = withText("x".repeat(DatagramCodec.MAX_DATAGRAM_BYTES - overhead));

        byte[] datagram = codec.encode(full);

        assertThat(datagram).hasSize(DatagramCodec.MAX_DATAGRAM_BYTES);
        assertThat(codec.decode(datagram)).isEqualTo(full);
    }

    @Test
    void refusesToEncodeAMessageOneByteTooLarge() {
        DatagramCodec codec = codecFor("noencr");
        int overhead = codec.encode(withText("")).length;
        Message tooLarge = withText("x".repeat(DatagramCodec.MAX_DATAGRAM_BYTES - overhead + 1));

        assertThatThrownBy(() -> codec.encode(tooLarge))
                .isInstanceOf(MessageTooLargeException.class)
                .hasMessageContaining("65508").hasMessageContaining("65507");
    }

    @Test
    void countsCipherPaddingInTheLimit() {
        DatagramCodec codec = codecFor("sha1-aes");
        int emptyText = CODEC.encode(withText("")).length;
        int room = DatagramCodec.MAX_DATAGRAM_BYTES - 17; // after the digest line: 65490, 2 past a 16-byte block
        Message fitsPadded = withText("x".repeat(room - 2 - emptyText));
        Message fitsOnlyUnpadded = withText("x".repeat(room - emptyText));

        assertThat(codec.encode(fitsPadded)).hasSize(DatagramCodec.MAX_DATAGRAM_BYTES - 2);
        assertThatThrownBy(() -> codec.encode(fitsOnlyUnpadded))
                .isInstanceOf(MessageTooLargeException.class)
                .hasMessageContaining("65521");
    }

    @Test
    void refusesToEncodeAHugeMessage() {
        Message huge = withText("x".repeat(1_000_000));

        assertThatThrownBy(() -> codecFor("des").encode(huge))
                .isInstanceOf(MessageTooLargeException.class)
                .satisfies(e -> assertThat(((MessageTooLargeException) e).datagramLength()).isGreaterThan(1_000_000));
    }

    private static Message withText(String text) {
        return new Message(1, 1_795_672_081_185L, false, Address.of("app:test", "id:1-1@localhost"),
                Address.BROADCAST, List.of(), List.of(new Command("test.text", List.of(new StringValue(text)))));
    }
}
