package dev.mbus.core.codec;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mbus.core.InvalidDatagramException.Reason;
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
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MessageCodecTest {

    /** A minimal header: 27 bytes, so the first command starts at byte 27. */
    private static final String H = "mbus/1.0 1 2 U (a:b) () ()\n";

    private static final MessageCodec CODEC = new MessageCodec();

    private static Message parse(String text) {
        return CODEC.parse(text);
    }

    /** The arguments of the only command of {@code H + line}. */
    private static List<MbusValue> args(String line) {
        List<Command> commands = parse(H + line).commands();
        assertThat(commands).hasSize(1);
        return commands.get(0).args();
    }

    private static MalformedMessageException error(byte[] bytes) {
        MalformedMessageException error = catchThrowableOfType(MalformedMessageException.class, () -> CODEC.decode(bytes));
        assertThat(error).as("decoding %s", new String(bytes, ISO_8859_1)).isNotNull();
        assertThat(error.getCause()).as("not an internal error").isNull();
        return error;
    }

    /**
     * {@code text} as bytes: chars U+0080-U+00FF stand for raw bytes (ISO-8859-1), so tests can
     * write malformed UTF-8; {@code {LF}} and {@code {CR}} stand for line ends in CSV rows.
     */
    private static void assertError(String text, int offset, String detail) {
        byte[] bytes = text.replace("{LF}", "\n").replace("{CR}", "\r").getBytes(ISO_8859_1);
        assertError(bytes, offset, detail);
    }

    private static void assertError(byte[] bytes, int offset, String detail) {
        MalformedMessageException error = error(bytes);
        assertThat(error.reason()).isEqualTo(Reason.PARSE_ERROR);
        assertThat(error.detail()).isEqualTo(detail);
        assertThat(error.offset()).as(detail).isEqualTo(offset);
        assertThat(error.getMessage()).isEqualTo("parse error at byte " + offset + ": " + detail);
    }

    @Nested
    class Header {

        @Test
        void readsEveryField() {
            Message message = parse("mbus/1.0 4294967295 9223372036854775807 R (app:rat id:1-1@h) (app:rat) (0 4294967295)\n");

            assertThat(message.sequence()).isEqualTo(Message.MAX_SEQUENCE);
            assertThat(message.timestamp()).isEqualTo(Long.MAX_VALUE);
            assertThat(message.reliable()).isTrue();
            assertThat(message.source()).isEqualTo(Address.of("app:rat", "id:1-1@h"));
            assertThat(message.source().elements()).containsExactly("app:rat", "id:1-1@h");
            assertThat(message.destination()).isEqualTo(Address.of("app:rat"));
            assertThat(message.acks()).containsExactly(0L, Message.MAX_SEQUENCE);
            assertThat(message.commands()).isEmpty();
        }

        @Test
        void acceptsWidthPaddingRunsOfBlanksAndLeadingZeros() {
            Message message = parse("mbus/1.0      3  \t 0001795672082199\tU   (  app:ucl \t id:1  )  ()  (     3      4 )  \n");

            assertThat(message.sequence()).isEqualTo(3);
            assertThat(message.timestamp()).isEqualTo(1795672082199L);
            assertThat(message.reliable()).isFalse();
            assertThat(message.source()).isEqualTo(Address.of("app:ucl", "id:1"));
            assertThat(message.destination().isBroadcast()).isTrue();
            assertThat(message.acks()).containsExactly(3L, 4L);
        }

        @Test
        void acceptsCrlfAndAMissingFinalLineEnd() {
            Message crlf = parse("mbus/1.0 1 2 U (a:b) () ()\r\ncmd.one (1)\r\ncmd.two ()\r\n");
            Message noFinalNewline = parse("mbus/1.0 1 2 U (a:b) () ()\ncmd.one (1)\ncmd.two ()");
            Message headerOnly = parse("mbus/1.0 1 2 U (a:b) () ()");

            assertThat(crlf.commands()).containsExactly(Command.of("cmd.one", 1), Command.of("cmd.two"));
            assertThat(noFinalNewline).isEqualTo(crlf);
            assertThat(headerOnly.commands()).isEmpty();
        }

        @Test
        void acceptsBlankLinesBetweenCommands() {
            Message message = parse(H + "\na (1)\n  \t\n\r\nb ()\n\n");

            assertThat(message.commands()).containsExactly(Command.of("a", 1), Command.of("b"));
        }

        @Test
        void ignoresTrailingNulBytes() {
            byte[] padded = (H + "a (1)\n\0\0\0\0\0").getBytes(UTF_8);

            assertThat(CODEC.decode(padded)).isEqualTo(parse(H + "a (1)\n"));
        }

        @Test
        void collapsesRepeatedAddressElementsAndReadsNonAsciiOnes() {
            Message message = parse("mbus/1.0 1 2 U (a:b a:b id:ü-€-😀) (x:\\y<>) ()\n");

            assertThat(message.source().elements()).containsExactly("a:b", "id:ü-€-😀");
            assertThat(message.destination().elements()).containsExactly("x:\\y<>");
        }

        @Test
        void decodedAddressesEqualAndHashAsBuiltOnes() {
            Message message = parse("mbus/1.0 1 2 U (id:1 app:x id:1) (app:x id:1) ()\n");

            assertThat(message.source()).isEqualTo(message.destination()).isEqualTo(Address.of("app:x", "id:1"))
                    .isNotEqualTo(Address.of("app:x", "id:2")).isNotEqualTo(Address.of("app:x"));
            assertThat(message.source().hashCode()).isEqualTo(Address.of("app:x", "id:1").hashCode())
                    .isEqualTo("app:x".hashCode() + "id:1".hashCode());
            assertThat(message.source().elements()).containsExactly("id:1", "app:x");
        }

        @Test
        void decodesARangeOfALargerArray() {
            byte[] bytes = ("garbage" + H + "a (1)\n" + "more garbage").getBytes(UTF_8);

            Message message = CODEC.decode(bytes, 7, H.length() + 6);

            assertThat(message.commands()).containsExactly(Command.of("a", 1));
            MalformedMessageException error = catchThrowableOfType(MalformedMessageException.class,
                    () -> CODEC.decode(bytes, 7, H.length() + 8));
            assertThat(error.offset()).as("relative to the range, which ends in a bare 'mo'").isEqualTo(H.length() + 8);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "''                                  | 0  | expected 'mbus/1.0'",
            "mbus/1.                             | 0  | expected 'mbus/1.0'",
            "mbus/2.0 1 2 U (a:b) () ()          | 0  | expected 'mbus/1.0'",
            "mbus/1.00 1 2 U (a:b) () ()         | 0  | expected 'mbus/1.0'",
            "mbus/1.0                            | 8  | missing header field sequence number",
            "mbus/1.0   {LF}                       | 11 | missing header field sequence number",
            "mbus/1.0 1                          | 10 | missing header field timestamp",
            "mbus/1.0 1 2                        | 12 | missing header field message type",
            "mbus/1.0 1 2 U                      | 14 | missing header field source address",
            "mbus/1.0 1 2 U (a:b)                | 20 | missing header field destination address",
            "mbus/1.0 1 2 U (a:b) ()             | 23 | missing header field ack list",
            "mbus/1.0 1 2 U (a:b) (){CR}{LF}()        | 23 | missing header field ack list",
            "mbus/1.0 -1 2 U (a:b) () ()         | 9  | invalid sequence number",
            "mbus/1.0 +1 2 U (a:b) () ()         | 9  | invalid sequence number",
            "mbus/1.0 1x 2 U (a:b) () ()         | 9  | invalid sequence number",
            "mbus/1.0 4294967296 2 U (a:b) () () | 9  | sequence number out of range",
            "mbus/1.0 99999999999999999999999 2 U (a:b) () () | 9 | sequence number out of range",
            "mbus/1.0 1 9223372036854775808 U (a:b) () () | 11 | timestamp out of range",
            "mbus/1.0 1 2.5 U (a:b) () ()        | 11 | invalid timestamp",
            "mbus/1.0 1 2 X (a:b) () ()          | 13 | unknown message type 'X'",
            "mbus/1.0 1 2 u (a:b) () ()          | 13 | unknown message type 'u'",
            "mbus/1.0 1 2 RU (a:b) () ()         | 13 | unknown message type 'RU'",
            "mbus/1.0 1 2 U(a:b) () ()           | 13 | unknown message type 'U(a:b)'",
            "mbus/1.0 1 2 U a:b () ()            | 15 | expected '(' at start of source address",
            "mbus/1.0 1 2 U (a:b) x:y ()         | 21 | expected '(' at start of destination address",
            "mbus/1.0 1 2 U (a:b                 | 15 | unterminated source address",
            "mbus/1.0 1 2 U (a:b) (c:d{LF}()       | 21 | unterminated destination address",
            "mbus/1.0 1 2 U (a:b)(c:d) ()        | 20 | expected white space after source address",
            "mbus/1.0 1 2 U (ab) () ()           | 16 | invalid address element 'ab' (expected attr:value)",
            "mbus/1.0 1 2 U (a:b :c) () ()       | 20 | invalid address element ':c' (expected attr:value)",
            "mbus/1.0 1 2 U (a:b\"c) () ()        | 19 | invalid character '\"' in address element",
            "mbus/1.0 1 2 U (a:(b) () ()         | 18 | invalid character '(' in address element",
            "mbus/1.0 1 2 U (a:b) () x           | 24 | expected '(' at start of ack list",
            "mbus/1.0 1 2 U (a:b) () (1          | 24 | unterminated ack list",
            "mbus/1.0 1 2 U (a:b) () (1 x)       | 27 | invalid ack list entry",
            "mbus/1.0 1 2 U (a:b) () (-1)        | 25 | invalid ack list entry",
            "mbus/1.0 1 2 U (a:b) () (1,2)       | 25 | invalid ack list entry",
            "mbus/1.0 1 2 U (a:b) () (4294967296) | 25 | acknowledged sequence number out of range",
            "mbus/1.0 1 2 U (a:b) () () x        | 27 | expected end of line after ack list",
            "mbus/1.0 1 2 U (a:b) () ()x         | 26 | expected end of line after ack list",
        })
        void refusesMalformedHeaders(String text, int offset, String detail) {
            assertError(text, offset, detail);
        }

        @Test
        void refusesControlCharactersAndInvalidUtf8InAddresses() {
            assertError("mbus/1.0 1 2 U (a:b\u0001) () ()", 19, "invalid character byte 0x01 in address element");
            assertError("mbus/1.0 1 2 U (a:b\u007f) () ()", 19, "invalid character byte 0x7f in address element");
            assertError("mbus/1.0 1 2 U (a:\u00ff) () ()", 18, "invalid UTF-8");
            assertError("mbus/1.0 1 2 U (a:b) (id:\u00c3) ()", 25, "invalid UTF-8"); // lead byte, no continuation
            assertError("mbus/1.0 1 2 U (a:b) (id:\u00ed\u00a0\u0080) ()", 25, "invalid UTF-8"); // a surrogate
        }

        @Test
        void refusesNulBytesOutsideStringsExceptAtTheEnd() {
            assertError("mbus/1.0 1\u00002 U (a:b) () ()", 9, "invalid sequence number");
            assertError(H + "a (1)\n\0b ()\n", 33, "invalid command name");
        }
    }

    @Nested
    class Commands {

        @Test
        void readsCommandsInOrderWithAnyNumberOfArguments() {
            Message message = parse(H + "mbus.hello ()\ntool.rat.volume (42)\nx-y_z.9 (1 2 3)\n");

            assertThat(message.commands()).containsExactly(
                    Command.of("mbus.hello"), Command.of("tool.rat.volume", 42), Command.of("x-y_z.9", 1, 2, 3));
        }

        @Test
        void acceptsNoSpaceBeforeTheArgumentsAndLeadingBlanks() {
            assertThat(parse(H + "a()\n  \tb  \t(1)\n").commands()).containsExactly(Command.of("a"), Command.of("b", 1));
        }

        @Test
        void acceptsArgumentListsOverSeveralLines() {
            assertThat(args("a (1\n  2\r\n\t(3\n4)\n)\n")).containsExactly(
                    new IntegerValue(1), new IntegerValue(2), ListValue.of(3, 4));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "1abc ()          | 27 | invalid command name",
            "(1)              | 27 | invalid command name",
            "\"a\" ()         | 27 | invalid command name",
            "a:b ()           | 28 | expected '(' after command name",
            "cmd 1            | 31 | expected '(' after command name",
            "cmd              | 30 | expected '(' after command name",
            "cmd{LF}(1)         | 30 | expected '(' after command name",
            "cmd (1) x        | 35 | expected end of line after command arguments",
            "cmd (1)(2)       | 34 | expected end of line after command arguments",
            "cmd (1{LF}         | 31 | unterminated argument list",
        })
        void refusesMalformedCommandLines(String line, int offset, String detail) {
            assertError(H + line, offset, detail);
        }
    }

    @Nested
    class Values {

        @Test
        void readsEveryType() {
            assertThat(args("a (42 -7 3.5 \"x y\" Sym <AAEC> (1 (2)) () <> \"\")")).containsExactly(
                    new IntegerValue(42), new IntegerValue(-7), new FloatValue(3.5), new StringValue("x y"),
                    new SymbolValue("Sym"), new DataValue(new byte[] {0, 1, 2}), ListValue.of(1, ListValue.of(2)),
                    ListValue.EMPTY, new DataValue(new byte[0]), new StringValue(""));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "0                    | 0",
            "-0                   | 0",
            "+12                  | 12",
            "007                  | 7",
            "9223372036854775807  | 9223372036854775807",
            "-9223372036854775808 | -9223372036854775808",
        })
        void readsIntegers(String text, long expected) {
            assertThat(args("a (" + text + ")")).containsExactly(new IntegerValue(expected));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "-0.5e3      | -500.0",
            "3.14        | 3.14",
            "+1.5        | 1.5",
            "1e5         | 100000.0",
            "1E+5        | 100000.0",
            "2.5e-3      | 0.0025",
            ".5          | 0.5",
            "-.5         | -0.5",
            "5.          | 5.0",
            "1.0E-5      | 0.00001",
            "4.9E-324    | 4.9E-324",
            "1.7976931348623157E308 | 1.7976931348623157E308",
            "1e-400      | 0.0",
        })
        void readsFloats(String text, double expected) {
            assertThat(args("a (" + text + ")")).containsExactly(new FloatValue(expected));
        }

        @Test
        void readsShortDecimalsExactlyAsParseDoubleDoes() {
            // Up to 15 digits without exponent take a fast path; it must agree to the last bit.
            java.util.SplittableRandom random = new java.util.SplittableRandom(7);
            for (int round = 0; round < 20_000; round++) {
                StringBuilder digits = new StringBuilder();
                for (int n = 1 + random.nextInt(17); n > 0; n--) {
                    digits.append((char) ('0' + random.nextInt(10)));
                }
                digits.insert(random.nextInt(digits.length() + 1), '.');
                String text = (random.nextBoolean() ? "-" : "") + digits;
                if (text.endsWith("-.") || text.equals(".")) {
                    continue;
                }
                assertThat(args("a (" + text + ")")).as(text).containsExactly(new FloatValue(Double.parseDouble(text)));
            }
        }

        @Test
        void readsDecimalsWithExponentsExactlyAsParseDoubleDoes() {
            // Short mantissas with small decimal exponents take the fast path too; others do not.
            java.util.SplittableRandom random = new java.util.SplittableRandom(11);
            for (int round = 0; round < 20_000; round++) {
                StringBuilder digits = new StringBuilder();
                for (int n = 1 + random.nextInt(17); n > 0; n--) {
                    digits.append((char) ('0' + random.nextInt(10)));
                }
                if (random.nextBoolean()) {
                    digits.insert(random.nextInt(digits.length() + 1), '.');
                }
                if (digits.toString().equals(".")) {
                    continue;
                }
                String exponent = switch (random.nextInt(4)) {
                    case 0 -> "" + random.nextInt(40);
                    case 1 -> "-" + random.nextInt(40);
                    case 2 -> "+" + random.nextInt(40);
                    default -> "-0" + random.nextInt(400);
                };
                String text = (random.nextBoolean() ? "-" : "") + digits + (random.nextBoolean() ? "e" : "E") + exponent;
                assertThat(args("a (" + text + ")")).as(text).containsExactly(new FloatValue(Double.parseDouble(text)));
            }
        }

        @Test
        void keepsTheSignOfNegativeZero() {
            assertThat(args("a (-0.0)")).containsExactly(new FloatValue(-0.0)).doesNotContain(new FloatValue(0.0));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "\"Hello,\\ world!\"         | Hello, world!",
            "\"he said \\\"hi\\\"\"      | he said \"hi\"",
            "\"back\\\\slash\"           | back\\slash",
            "\"\\q\\t\\(\\)\"            | qt()",
            "\"caf\\é\"                  | café",
            "\"(not a list) <nor data>\" | (not a list) <nor data>",
        })
        void readsStringsWithAnyEscapedCharacterAsItself(String text, String expected) {
            assertThat(args("a (" + text + ")")).containsExactly(new StringValue(expected));
        }

        @Test
        void readsNewlinesEscapedOrRawAndOtherControlCharactersRaw() {
            assertThat(args("a (\"line\\nbreak\" \"line\nbreak\" \"cr\r\ttab\0nul\")")).containsExactly(
                    new StringValue("line\nbreak"), new StringValue("line\nbreak"), new StringValue("cr\r\ttab\0nul"));
        }

        @Test
        void readsNonAsciiStringsIncludingSupplementaryCharacters() {
            assertThat(args("a (\"café €100 😀 中文\" \"\\\"😀\\\"\")")).containsExactly(
                    new StringValue("café €100 😀 中文"), new StringValue("\"😀\""));
        }

        @Test
        void readsDataInStandardBase64WithPadding() {
            assertThat(args("a (<AAECAwQ=> <AA==> <+/+/> <>)")).containsExactly(
                    new DataValue(new byte[] {0, 1, 2, 3, 4}), new DataValue(new byte[] {0}),
                    new DataValue(new byte[] {(byte) 0xfb, (byte) 0xff, (byte) 0xbf}), new DataValue(new byte[0]));
        }

        @Test
        void readsListsSeparatedByAnyWhiteSpace() {
            assertThat(args("a (( ) (\t1\r\n\"x\" ) ((())))")).containsExactly(
                    ListValue.EMPTY, ListValue.of(1, "x"), ListValue.of(ListValue.of(ListValue.EMPTY)));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            // offsets: the argument list starts at byte 29
            "9223372036854775808       | 30 | integer out of range",
            "-9223372036854775809      | 30 | integer out of range",
            "99999999999999999999999999 | 30 | integer out of range",
            "1e400                     | 30 | float out of range",
            "-1.7976931348623159E308   | 30 | float out of range",
            "12abc                     | 32 | invalid character 'a' in number",
            "1.2.3                     | 33 | invalid character '.' in number",
            "1(2)                      | 31 | invalid character '(' in number",
            "-                         | 30 | invalid number",
            "+ 1                       | 30 | invalid number",
            ".                         | 30 | invalid number",
            "-.e5                      | 30 | invalid number",
            "1e                        | 30 | invalid number",
            "1e+                       | 30 | invalid number",
            "abc:d                     | 33 | invalid character ':' in symbol",
            "abc\"d\"                  | 33 | invalid character '\"' in symbol",
            "_x                        | 30 | unexpected character '_'",
            "@                         | 30 | unexpected character '@'",
            "\u00c3\u00a9              | 30 | unexpected character byte 0xc3",
            "\"a\"\"b\"                | 33 | expected white space or ')' after value",
            "(1)(2)                    | 33 | expected white space or ')' after value",
            "<AA==>x                   | 36 | expected white space or ')' after value",
            "\"abc                     | 30 | unterminated string",
            "\"abc\\\"                 | 30 | unterminated string",
            "(1 2                      | 30 | unterminated list",
            "1 (2 (3)                  | 32 | unterminated list",
            "<AAEC                     | 30 | unterminated data",
            "<AAE>                     | 30 | invalid base64 data (length not a multiple of 4)",
            "<AA=>                     | 30 | invalid base64 data (length not a multiple of 4)",
            "<AA!A>                    | 33 | invalid base64 data",
            "<A===>                    | 32 | invalid base64 data",
            "<A=AA>                    | 32 | invalid base64 data",
            "<AA AA>                   | 30 | invalid base64 data (length not a multiple of 4)",
            "<AA{LF}A>                   | 33 | invalid base64 data",
        })
        void refusesMalformedValues(String text, int offset, String detail) {
            boolean closed = text.startsWith("\"abc") || text.startsWith("(1 2") || text.startsWith("1 (2");
            assertError(H + "a (" + text + (closed ? "" : ")") + "\n", offset, detail);
        }

        @Test
        void unterminatedArgumentListIsReportedAtItsParenthesis() {
            assertError(H + "a (1 (2)", 29, "unterminated argument list");
            assertError(H + "a (\"x)\n", 30, "unterminated string");
        }

        @Test
        void errorMessageNamesTheByteOffsetAndTheProblem() {
            MalformedMessageException error = error((H + "test.str (1 2 3 4 5 6 7 8 9 0 \"unterminated)\n").getBytes(UTF_8));

            assertThat(error.getMessage()).isEqualTo("parse error at byte 57: unterminated string");
            assertThat(error.reason()).isEqualTo(Reason.PARSE_ERROR);
            assertThat(error).isInstanceOf(dev.mbus.core.InvalidDatagramException.class);
        }
    }

    @Nested
    class Utf8 {

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "\u00c0\u00af                 | overlong '/'",
            "\u00e0\u0080\u00af           | overlong 3-byte",
            "\u00f0\u0080\u0080\u00af     | overlong 4-byte",
            "\u00ed\u00a0\u0080           | high surrogate",
            "\u00ed\u00bf\u00bf           | low surrogate",
            "\u00f4\u0090\u0080\u0080     | above U+10FFFF",
            "\u00f5\u0080\u0080\u0080     | lead byte F5",
            "\u00ff                       | FF",
            "\u0080                       | lone continuation",
            "\u00e2\u0082                 | truncated 3-byte",
            "\u00e2\u0082x                | bad continuation",
        })
        void refusesMalformedUtf8InStringsAtTheOffendingSequence(String bytes, String what) {
            assertError(H + "a (\"ok " + bytes + "\")\n", 34, "invalid UTF-8");
            assertError(H + "a (\"\\\"" + bytes + "\")\n", 33, "invalid UTF-8"); // on the slow path from the start
        }

        @Test
        void acceptsTheEdgesOfValidUtf8() {
            String edges = "\u0080\u07ff\u0800\ud7ff\ue000\uffff\ud800\udc00\udbff\udfff";

            assertThat(args("a (\"" + edges + "\")")).containsExactly(new StringValue(edges));
        }
    }

    @Nested
    class Limits {

        private String nested(int depth) {
            return "(".repeat(depth) + ")".repeat(depth);
        }

        @Test
        void listsNestUpToTheLimitInsideTheArgumentList() {
            MbusValue value = args("a (" + nested(64) + ")").get(0);

            int depth = 0;
            while (value instanceof ListValue list && !list.elements().isEmpty()) {
                value = list.get(0);
                depth++;
            }
            assertThat(depth).isEqualTo(63);
            assertError(H + "a (" + nested(65) + ")\n", 29 + 65, "list nesting deeper than 64");
        }

        @Test
        void deepNestingFailsCleanlyWithoutRecursion() {
            assertError(H + "a (" + nested(1000) + ")\n", 29 + 65, "list nesting deeper than 64");
            assertError(H + "a (" + "(".repeat(32_000) + ")\n", 29 + 65, "list nesting deeper than 64");

            MalformedMessageException huge = error((H + "a (" + nested(100_000) + ")\n").getBytes(UTF_8));
            assertThat(huge.reason()).isEqualTo(Reason.OVERSIZED);
        }

        @Test
        void aConfiguredDepthLimitApplies() {
            MessageCodec shallow = new MessageCodec(new CodecLimits(2, CodecLimits.MAX_DATAGRAM_BYTES));
            MessageCodec deep = new MessageCodec(new CodecLimits(CodecLimits.MAX_LIST_DEPTH, CodecLimits.MAX_DATAGRAM_BYTES));

            assertThat(shallow.parseArguments("((()))")).containsExactly(ListValue.of(ListValue.EMPTY));
            assertThatThrownBy(() -> shallow.parseArguments("(((())))")).hasMessage("parse error at byte 3: list nesting deeper than 2");
            Message message = deep.parse(H + "a (" + nested(256) + ")\n");
            assertThat(deep.decode(deep.encode(message))).isEqualTo(message);
            assertThatThrownBy(() -> deep.parse(H + "a (" + nested(257) + ")\n"))
                    .hasMessage("parse error at byte 286: list nesting deeper than 256");
        }

        @Test
        void refusesMessagesOverTheSizeLimit() {
            byte[] big = (H + "a (\"" + "x".repeat(70_000 - H.length() - 7) + "\")\n").getBytes(UTF_8);
            assertThat(big).hasSize(70_000);

            MalformedMessageException error = error(big);

            assertThat(error.reason()).isEqualTo(Reason.OVERSIZED);
            assertThat(error.getMessage()).isEqualTo("message of 70000 bytes exceeds the limit of 65507");
            assertThat(error.offset()).isEqualTo(65_507);
        }

        @Test
        void theLargestMessageFitsAndAConfiguredSizeLimitApplies() {
            byte[] largest = (H + "a (\"" + "x".repeat(65_507 - H.length() - 7) + "\")\n").getBytes(UTF_8);
            assertThat(largest).hasSize(65_507);
            assertThat(CODEC.decode(largest).commands()).hasSize(1);

            MessageCodec small = new MessageCodec(new CodecLimits(64, 100));
            assertThat(small.decode((H + "a (\"" + "x".repeat(100 - H.length() - 7) + "\")\n").getBytes(UTF_8))).isNotNull();
            assertThatThrownBy(() -> small.parse(H + "a (\"" + "x".repeat(101 - H.length() - 7) + "\")\n"))
                    .isInstanceOf(MalformedMessageException.class)
                    .hasMessage("message of 101 bytes exceeds the limit of 100");
        }

        @Test
        void aHugeAddressCostsLinearTime() {
            StringBuilder address = new StringBuilder("(");
            for (int i = 0; address.length() < 60_000; i++) {
                address.append("id:").append(i).append(' ');
            }
            Message message = parse("mbus/1.0 1 2 U " + address + ") () ()\n");

            assertThat(message.source().size()).isGreaterThan(7000);
            assertThat(message.source()).isEqualTo(Address.parse(address + ")"));
            assertThat(Address.of("id:1", "id:2", "id:1", "id:3").elements()).containsExactly("id:1", "id:2", "id:3");
            List<String> many = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                many.add("id:" + i % 20);
            }
            assertThat(Address.of(many).size()).as("repeats dropped on the set path too").isEqualTo(20);
        }

        @Test
        void badArgumentsAreMalformedMessagesToo() {
            assertThatThrownBy(() -> CODEC.decode(null)).isInstanceOf(MalformedMessageException.class);
            assertThatThrownBy(() -> CODEC.decode(new byte[4], 2, 3)).isInstanceOf(MalformedMessageException.class);
            assertThatThrownBy(() -> CODEC.decode(new byte[4], -1, 2)).isInstanceOf(MalformedMessageException.class);
            assertThatThrownBy(() -> CODEC.decode(new byte[4], 1, -1)).isInstanceOf(MalformedMessageException.class);
            assertThatThrownBy(() -> CODEC.decode(new byte[4], Integer.MAX_VALUE, 2)).isInstanceOf(MalformedMessageException.class);
            assertThatThrownBy(() -> CODEC.parse(null)).isInstanceOf(MalformedMessageException.class);
            assertThatThrownBy(() -> CODEC.parseArguments(null)).isInstanceOf(MalformedMessageException.class);
        }
    }

    @Nested
    class Arguments {

        @Test
        void parsesOneArgumentList() {
            assertThat(CODEC.parseArguments("(42 \"x\" (a b))")).containsExactly(
                    new IntegerValue(42), new StringValue("x"), ListValue.of(new SymbolValue("a"), new SymbolValue("b")));
            assertThat(CODEC.parseArguments(" \t()\n")).isEmpty();
        }

        @Test
        void reportsErrorsAtUtf8ByteOffsets() {
            assertThatThrownBy(() -> CODEC.parseArguments("42")).hasMessage("parse error at byte 0: expected '(' at start of argument list");
            assertThatThrownBy(() -> CODEC.parseArguments("")).hasMessage("parse error at byte 0: expected '(' at start of argument list");
            assertThatThrownBy(() -> CODEC.parseArguments("(1) 2")).hasMessage("parse error at byte 4: unexpected text after argument list");
            assertThatThrownBy(() -> CODEC.parseArguments(" (1")).hasMessage("parse error at byte 1: unterminated argument list");
            assertThatThrownBy(() -> CODEC.parseArguments("(\"é\" 1x)")).hasMessage("parse error at byte 7: invalid character 'x' in number");
        }
    }

    @Nested
    class Encoding {

        @Test
        void writesTheCanonicalForm() {
            Message message = new Message(0, 1795672200123L, true, Address.of("app:x", "id:1"), Address.BROADCAST, List.of(1L, 4294967295L),
                    List.of(Command.of("cmd", 1, -2, Long.MIN_VALUE, -500.0, 1.0E-5, "a \"b\" \\ c\nd",
                            new SymbolValue("sym"), new byte[] {0, 1, 2, 3, 4}, List.of(), List.of(1, List.of(2.5)), new byte[0]),
                            Command.of("mbus.bye")));

            assertThat(CODEC.format(message)).isEqualTo("mbus/1.0 0 1795672200123 R (app:x id:1) () (1 4294967295)\n"
                    + "cmd (1 -2 -9223372036854775808 -500.0 1.0E-5 \"a \\\"b\\\" \\\\ c\\nd\" sym <AAECAwQ=> () (1 (2.5)) <>)\n"
                    + "mbus.bye ()\n");
        }

        @Test
        void writesEachHeaderAddressInTheOrderItWasGivenThoughAnEqualOneWasWrittenBefore() {
            MessageCodec codec = new MessageCodec();
            Address source = Address.of("app:x", "id:1");
            Address playerFirst = Address.of("app:player", "id:7");
            Address idFirst = Address.of("id:7", "app:player");
            assertThat(idFirst).isEqualTo(playerFirst);

            byte[] first = codec.encode(new Message(1, 2, false, source, playerFirst, List.of(), List.of()));
            byte[] second = codec.encode(new Message(2, 2, false, source, idFirst, List.of(), List.of()));

            assertThat(new String(first, UTF_8)).isEqualTo("mbus/1.0 1 2 U (app:x id:1) (app:player id:7) ()\n");
            assertThat(new String(second, UTF_8)).isEqualTo("mbus/1.0 2 2 U (app:x id:1) (id:7 app:player) ()\n");
        }

        @Test
        void manyDestinationsInTurnEachGetTheirOwnText() {
            MessageCodec codec = new MessageCodec();
            Address source = Address.of("app:x", "id:1");
            for (int round = 0; round < 3; round++) {
                for (int n = 0; n < 40; n++) {
                    Address destination = Address.of("app:player", "id:" + n);
                    Message message = new Message(n, 2, false, source, destination, List.of(), List.of(Command.of("go", n)));
                    assertThat(codec.decode(codec.encode(message))).isEqualTo(message);
                    assertThat(codec.decode(codec.encode(message)).destination().get("id")).isEqualTo(String.valueOf(n));
                }
            }
        }

        @Test
        void writesABareAcknowledgement() {
            Message ack = new Message(6, 1795672082199L, false, Address.of("app:ucl", "id:1-1@localhost"),
                    Address.of("app:ucl", "id:2-1@localhost"), List.of(3L), List.of());

            assertThat(CODEC.encode(ack)).isEqualTo(
                    "mbus/1.0 6 1795672082199 U (app:ucl id:1-1@localhost) (app:ucl id:2-1@localhost) (3)\n".getBytes(UTF_8));
        }

        @Test
        void writesNonAsciiAndControlCharactersRaw() {
            String text = "café 😀 \r\t\0 end";

            assertThat(MessageCodec.formatValue(new StringValue(text))).isEqualTo("\"" + text + "\"");
            assertThat(CODEC.encode(new Message(1, 2, false, Address.of("id:ü"), Address.BROADCAST, List.of(),
                    List.of(Command.of("a", text))))).isEqualTo(
                    ("mbus/1.0 1 2 U (id:ü) () ()\na (\"" + text + "\")\n").getBytes(UTF_8));
        }

        @Test
        void aMessageMadeOfTheTextsItsSendsWroteIsTheMessageWrittenWhole() {
            List<Command> first = List.of(Command.of("a.b", 1L, "x \"quoted\" ü"), Command.of("c", 2.5));
            List<Command> second = List.of(Command.of("d", List.of(1L, List.of("e")), new byte[] {1, 2, 3}));
            List<Command> all = new java.util.ArrayList<>(first);
            all.addAll(second);
            Message message = new Message(7, 8, true, Address.of("id:1"), Address.of("app:b"), List.of(3L, 4L), all);

            byte[] written = CODEC.encode(message, List.of(CODEC.write(first), CODEC.write(second)));

            assertThat(written).isEqualTo(CODEC.encode(message));
            Message bare = new Message(7, 8, true, Address.of("id:1"), Address.of("app:b"), List.of(3L, 4L), List.of());
            assertThat(CODEC.write(first).length() + CODEC.write(second).length())
                    .isEqualTo(CODEC.encode(message).length - CODEC.encode(bare).length);
        }

        @Test
        void commandsThatCannotBeWrittenAreRefusedWhenWrittenForASend() {
            assertThatThrownBy(() -> CODEC.write(List.of(Command.of("a", "\ud800 alone"))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unpaired surrogate");
        }

        @Test
        void writesNewlinesInStringsRawOnTheWireAndReadsThemBack() {
            Message message = new Message(1, 2, false, Address.of("id:1"), Address.BROADCAST, List.of(),
                    List.of(Command.of("a", "line\nbreak")));

            byte[] wire = CODEC.encode(message);

            assertThat(wire).isEqualTo("mbus/1.0 1 2 U (id:1) () ()\na (\"line\nbreak\")\n".getBytes(UTF_8));
            assertThat(CODEC.decode(wire)).isEqualTo(message);
            assertThat(CODEC.write(message.commands()).length()).isEqualTo("a (\"line\nbreak\")\n".length());
            assertThat(CODEC.format(message)).as("the text for people keeps one line per command")
                    .endsWith("\na (\"line\\nbreak\")\n");
            assertThat(CODEC.parse(CODEC.format(message))).isEqualTo(message);
        }

        /**
         * What the UCL tools make of a string argument, from their observed rules: the string
         * ends at the first quote that no backslash precedes, and a backslash stands for the
         * character after it, whatever it is ({@code \n} is an 'n').
         */
        private static String asTheUclToolsReadIt(String argument) {
            int end = 1;
            while (argument.charAt(end) != '"' || argument.charAt(end - 1) == '\\') {
                end++;
            }
            StringBuilder read = new StringBuilder();
            for (int i = 1; i < end; i++) {
                read.append(argument.charAt(argument.charAt(i) == '\\' ? ++i : i));
            }
            return read.toString();
        }

        @ParameterizedTest
        @ValueSource(strings = {"two\nlines", "cr\r\ttab", "a \"quote\"", "back\\slash", "\\\"", "x\n\n"})
        void stringsReachTheUclToolsAsWritten(String text) {
            Message message = new Message(1, 2, false, Address.of("id:1"), Address.BROADCAST, List.of(),
                    List.of(Command.of("a", text)));
            String wire = new String(CODEC.encode(message), UTF_8);
            String argument = wire.substring(wire.indexOf("a (") + 3);

            assertThat(asTheUclToolsReadIt(argument)).isEqualTo(text);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "-500.0                | -500.0",
            "0.0                   | 0.0",
            "-0.0                  | -0.0",
            "100.0                 | 100.0",
            "0.00001               | 1.0E-5",
            "1e22                  | 1.0E22",
            "4.9E-324              | 4.9E-324",
            "1.7976931348623157E308 | 1.7976931348623157E308",
        })
        void writesFloatsSoThatTheyReadBackAsTheSameFloat(double value, String expected) {
            String text = MessageCodec.formatValue(new FloatValue(value));

            assertThat(text).isEqualTo(expected);
            assertThat(CODEC.parseArguments("(" + text + ")")).containsExactly(new FloatValue(value));
        }

        @Test
        void formatsValuesAsInAnArgumentList() {
            assertThat(MessageCodec.formatValue(new IntegerValue(-7))).isEqualTo("-7");
            assertThat(MessageCodec.formatValue(ListValue.of("x", 1, List.of()))).isEqualTo("(\"x\" 1 ())");
            assertThat(MessageCodec.formatValue(new DataValue(new byte[] {-1}))).isEqualTo("</w==>");
            assertThat(MessageCodec.formatValue(new SymbolValue("ON"))).isEqualTo("ON");
        }

        @Test
        void refusesTextThatUtf8CannotCarry() {
            Message loneSurrogate = new Message(1, 2, false, Address.of("id:1"), Address.BROADCAST, List.of(),
                    List.of(Command.of("a", "x\ud800y")));
            Message swappedPair = new Message(1, 2, false, Address.of("id:1"), Address.BROADCAST, List.of(),
                    List.of(Command.of("a", "\udc00\ud800")));
            Message trailingHigh = new Message(1, 2, false, Address.of("id:\ud83d"), Address.BROADCAST, List.of(), List.of());

            assertThatThrownBy(() -> CODEC.encode(loneSurrogate)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unpaired surrogate at index 1");
            assertThatThrownBy(() -> CODEC.encode(swappedPair)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> CODEC.format(trailingHigh)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void refusesListsNestedDeeperThanTheLimit() {
            MbusValue value = ListValue.EMPTY;
            for (int i = 1; i < 64; i++) {
                value = new ListValue(List.of(value));
            }
            Message deepest = new Message(1, 2, false, Address.of("id:1"), Address.BROADCAST, List.of(),
                    List.of(new Command("a", List.of(value))));
            Message tooDeep = new Message(1, 2, false, Address.of("id:1"), Address.BROADCAST, List.of(),
                    List.of(new Command("a", List.of(new ListValue(List.of(value))))));

            assertThat(CODEC.decode(CODEC.encode(deepest))).isEqualTo(deepest);
            assertThatThrownBy(() -> CODEC.encode(tooDeep)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("list nesting deeper than 64");
        }
    }
}
