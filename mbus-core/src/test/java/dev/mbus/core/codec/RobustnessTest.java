package dev.mbus.core.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.mbus.core.message.Message;
import dev.mbus.core.message.MessageGenerator;
import dev.mbus.core.message.StringValue;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Whatever the bytes, decode returns a message that survives a round trip, or throws MalformedMessageException. */
class RobustnessTest {

    private static final MessageCodec CODEC = new MessageCodec();
    private static final String H = "mbus/1.0 1 2 U (a:b) () ()\n";

    /**
     * The decoder's contract on arbitrary input: a MalformedMessageException that is not the
     * internal-error safety net, or a message whose canonical text decodes back to it.
     */
    static void assertDecodesOrRefuses(byte[] input, String what) {
        Message message;
        try {
            message = CODEC.decode(input);
        } catch (MalformedMessageException e) {
            assertThat(e.getCause()).as("%s: %s", what, e.getMessage()).isNull();
            assertThat(e.offset()).as(what).isBetween(0, input.length);
            return;
        } catch (Throwable e) {
            throw new AssertionError(what + ": decode threw " + e, e);
        }
        byte[] canonical = CODEC.encode(message);
        assertThat(CODEC.decode(canonical)).as(what).isEqualTo(message);
    }

    static LongStream seeds() {
        return LongStream.range(0, 40);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyPrefixOfAMessageDecodesOrIsRefused(long seed) {
        byte[] whole = CODEC.encode(new MessageGenerator(seed).message());

        for (int length = 0; length <= whole.length; length++) {
            byte[] prefix = java.util.Arrays.copyOf(whole, length);
            assertDecodesOrRefuses(prefix, "seed " + seed + ", prefix " + length);
        }
    }

    @Test
    void everyPrefixOfTheWireVectorsDecodesOrIsRefused() {
        String text = "mbus/1.0     18 1795672200123 R (app:indep id:77-1@localhost) (app:ucl id:1-1@localhost) (     4 5)\r\n"
                + "test.str (\"café \\\\ \\\"q\\\" line\\nbreak\" \"\\ \")\ntest.data (<AAECAwQ=>)\n\ntest.empty ()\n"
                + "test.neg (-9223372036854775808 +12 -0.25 -0.5e3 .5 (x (1 2)) \"😀\")";
        byte[] whole = text.getBytes(UTF_8);
        assertThat(CODEC.decode(whole).commands()).hasSize(4);

        for (int length = 0; length <= whole.length; length++) {
            assertDecodesOrRefuses(java.util.Arrays.copyOf(whole, length), "prefix " + length);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void mutatedMessagesDecodeOrAreRefused(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] original = CODEC.encode(new MessageGenerator(seed).message());
        byte[] special = " \t\r\n()\"\\<>=:.+-eE0189aZ\0\u007f".getBytes(UTF_8);

        for (int round = 0; round < 200; round++) {
            byte[] input = original.clone();
            for (int edits = 1 + random.nextInt(4); edits > 0 && input.length > 0; edits--) {
                int at = random.nextInt(input.length);
                switch (random.nextInt(3)) {
                    case 0:
                        input[at] = special[random.nextInt(special.length)];
                        break;
                    case 1:
                        input[at] = (byte) random.nextInt(256);
                        break;
                    default:
                        int length = random.nextInt(Math.min(8, input.length - at) + 1);
                        input = cut(input, at, length);
                }
            }
            assertDecodesOrRefuses(input, "seed " + seed + ", round " + round);
        }
    }

    private static byte[] cut(byte[] input, int at, int length) {
        byte[] out = new byte[input.length - length];
        System.arraycopy(input, 0, out, 0, at);
        System.arraycopy(input, at + length, out, at, input.length - at - length);
        return out;
    }

    @Test
    void stringsAcceptExactlyTheUtf8TheJdkAccepts() {
        SplittableRandom random = new SplittableRandom(42);
        int valid = 0;
        for (int round = 0; round < 20_000; round++) {
            byte[] content = new byte[1 + random.nextInt(6)];
            for (int i = 0; i < content.length; i++) {
                // mostly bytes around the edges of the UTF-8 ranges
                content[i] = (byte) (random.nextInt(4) == 0 ? 'a' : 0x80 + random.nextInt(0x80));
            }
            String expected = strictUtf8(content);
            byte[] message = concat(H.getBytes(UTF_8), "a (\"".getBytes(UTF_8), content, "\")\n".getBytes(UTF_8));
            boolean hasSpecial = expected != null && (expected.contains("\"") || expected.contains("\\"));
            if (hasSpecial) {
                continue;
            }
            try {
                Message decoded = CODEC.decode(message);
                assertThat(expected).as("accepted what the JDK refuses: %s", hex(content)).isNotNull();
                assertThat(decoded.commands().get(0).arg(0)).isEqualTo(new StringValue(expected));
                valid++;
            } catch (MalformedMessageException e) {
                assertThat(expected).as("refused what the JDK accepts: %s", hex(content)).isNull();
                assertThat(e.detail()).isEqualTo("invalid UTF-8");
            }
        }
        assertThat(valid).as("the sample holds valid sequences too").isGreaterThan(500);
    }

    private static String strictUtf8(byte[] bytes) {
        CharsetDecoder decoder = UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static byte[] concat(byte[]... parts) {
        List<Byte> all = new ArrayList<>();
        for (byte[] part : parts) {
            for (byte b : part) {
                all.add(b);
            }
        }
        byte[] out = new byte[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        return out;
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            text.append(String.format("%02x ", b & 0xff));
        }
        return text.toString().trim();
    }

    @Test
    void theGeneratorCoversTheEdges() {
        StringBuilder all = new StringBuilder();
        boolean maxSequence = false;
        boolean zeroSequence = false;
        boolean broadcast = false;
        boolean noCommands = false;
        boolean reliable = false;
        int largest = 0;
        for (long seed = 0; seed < 3000; seed++) {
            Message message = new MessageGenerator(seed).message();
            String text = CODEC.format(message);
            all.append(text);
            largest = Math.max(largest, text.getBytes(UTF_8).length);
            maxSequence |= message.sequence() == Message.MAX_SEQUENCE;
            zeroSequence |= message.sequence() == 0;
            broadcast |= message.destination().isBroadcast();
            noCommands |= message.commands().isEmpty();
            reliable |= message.reliable();
        }
        assertThat(maxSequence && zeroSequence && broadcast && noCommands && reliable).isTrue();
        assertThat(largest).as("well within one datagram").isLessThan(16_000);
        String text = all.toString();
        for (String edge : new String[] {"-9223372036854775808", "9223372036854775807", "-0.0", "4.9E-324",
            "1.7976931348623157E308", "<>", "()", "\"\"", "\\\"", "\\\\", "\\n", "😀", "é", "E-", "(("}) {
            if (!text.contains(edge)) {
                fail("no generated message contains " + edge);
            }
        }
    }
}
