package dev.mbus.core.codec;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mbus.core.InvalidDatagramException;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.Message;
import dev.mbus.core.security.CipherAlgorithm;
import dev.mbus.core.security.DatagramSecurity;
import dev.mbus.core.security.HashAlgorithm;
import dev.mbus.core.security.MbusKeys;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link DatagramCodec#decodeRepeated}: the entities of a receive thread decode each group
 * datagram once between them, and never accept under their keys what only others' keys allow.
 */
class RepeatedDecodeTest {

    private static MbusKeys keys(String key) {
        return new MbusKeys(HashAlgorithm.HMAC_MD5_96, key.getBytes(US_ASCII), CipherAlgorithm.NOENCR, null);
    }

    private static byte[] hello(DatagramCodec codec, long sequence) {
        return codec.encode(new Message(sequence, 1_000, false, Address.of("app:test", "id:1"), Address.of(),
                List.of(), List.of(Command.of("mbus.hello"))));
    }

    @Test
    void entitiesWithTheSameKeysDecodeADatagramOnce() {
        DatagramCodec first = new DatagramCodec(keys("k"));
        DatagramCodec second = new DatagramCodec(keys("k"));
        byte[] datagram = hello(first, 1);

        Message decoded = first.decodeRepeated(datagram, 0, datagram.length);

        assertThat(second.decodeRepeated(datagram, 0, datagram.length)).isSameAs(decoded);
        assertThat(decoded).isEqualTo(first.decode(datagram));
    }

    /** Two codecs that decode some datagrams differently, and how the second refuses one of the first's. */
    static Stream<Arguments> codecsThatDiffer() {
        MessageCodec tightLimits = new MessageCodec(new CodecLimits(CodecLimits.DEFAULT.maxListDepth(), 20));
        return Stream.of(
                Arguments.of("another key", new DatagramCodec(keys("ours")), new DatagramCodec(keys("theirs")),
                        InvalidDatagramException.Reason.BAD_DIGEST),
                Arguments.of("tighter limits", new DatagramCodec(keys("k")),
                        new DatagramCodec(new DatagramSecurity(keys("k")), tightLimits),
                        InvalidDatagramException.Reason.OVERSIZED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("codecsThatDiffer")
    void aDatagramDecodedByOneCodecIsStillCheckedByAnother(String difference, DatagramCodec first,
            DatagramCodec second, InvalidDatagramException.Reason refusal) {
        byte[] datagram = hello(first, 1);
        first.decodeRepeated(datagram, 0, datagram.length);

        InvalidDatagramException refused = catchThrowableOfType(InvalidDatagramException.class,
                () -> second.decodeRepeated(datagram, 0, datagram.length));

        assertThat(refused.reason()).isEqualTo(refusal);
    }

    @Test
    void anotherDatagramOfTheSameLengthIsDecodedAfresh() {
        DatagramCodec codec = new DatagramCodec(keys("k"));
        byte[] one = hello(codec, 1);
        byte[] two = hello(codec, 2);
        assertThat(two).hasSameSizeAs(one);

        codec.decodeRepeated(one, 0, one.length);

        assertThat(codec.decodeRepeated(two, 0, two.length).sequence()).isEqualTo(2);
    }

    @Test
    void theBufferMayChangeUnderTheSameRange() {
        // A receive thread reuses its buffer: the same array and range hold the next datagram.
        DatagramCodec codec = new DatagramCodec(keys("k"));
        byte[] one = hello(codec, 1);
        byte[] buffer = one.clone();
        codec.decodeRepeated(buffer, 0, buffer.length);
        byte[] two = hello(codec, 2);
        System.arraycopy(two, 0, buffer, 0, two.length);

        assertThat(codec.decodeRepeated(buffer, 0, buffer.length).sequence()).isEqualTo(2);
    }

    @Test
    void eachThreadRemembersItsOwn() throws Exception {
        DatagramCodec codec = new DatagramCodec(keys("k"));
        byte[] datagram = hello(codec, 1);
        Message here = codec.decodeRepeated(datagram, 0, datagram.length);

        Message there = CompletableFuture.supplyAsync(() -> codec.decodeRepeated(datagram, 0, datagram.length)).get();

        assertThat(there).isEqualTo(here).isNotSameAs(here);
    }

    @Test
    void aRangeOutsideTheArrayIsAParseErrorAsInDecode() {
        DatagramCodec codec = new DatagramCodec(keys("k"));
        byte[] datagram = hello(codec, 1);
        codec.decodeRepeated(datagram, 0, datagram.length);

        InvalidDatagramException refused = catchThrowableOfType(InvalidDatagramException.class,
                () -> codec.decodeRepeated(datagram, 1, datagram.length));

        assertThat(refused.reason()).isEqualTo(InvalidDatagramException.Reason.PARSE_ERROR);
    }
}
