package dev.mbus.core.codec;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.MbusValue;
import dev.mbus.core.message.Message;
import java.util.List;
import java.util.Objects;

/**
 * Mbus message text to {@link Message} and back (protocol §2-4). Thread-safe and stateless
 * apart from its limits.
 *
 * <p>The encoder writes one canonical form: single spaces, LF line ends, unpadded numbers,
 * floats as {@link Double#toString} writes them (always with a '.', so they read back as floats,
 * exactly), strings with only {@code \"} and {@code \\} escaped and everything else, newlines
 * included, as raw UTF-8 (the UCL tools read {@code \n} as an 'n'), data as padded standard
 * Base64. {@link #format} writes the same text with newlines in strings as {@code \n}.
 *
 * <p>The decoder accepts every form deployed peers write and throws nothing but
 * {@link MalformedMessageException}, whatever the input (null and out-of-range arguments
 * included). It accepts:
 * <ul>
 * <li>header fields separated by runs of spaces or tabs, numbers padded with leading spaces
 *     or zeros ({@code mbus/1.0      3 ...}, {@code (     3)}), CRLF or LF line ends, a missing
 *     final line end, blank lines between commands, messages without commands;</li>
 * <li>integers with an optional {@code +} or {@code -}, 64 bits; floats with an optional sign,
 *     {@code digits.digits}, either side of the point may be empty ({@code .5}, {@code 5.}),
 *     an optional exponent, and {@code 1e5} (an exponent makes a float); a float must be
 *     finite;</li>
 * <li>strings where {@code \n} is a newline and any other escaped character is itself
 *     ({@code \ } is a space); raw newlines and other control characters inside strings are
 *     taken as they are;</li>
 * <li>values in lists separated by any white space, newlines included;</li>
 * <li>trailing NUL bytes (cipher padding), which it ignores; a NUL anywhere else outside a
 *     string is an error.</li>
 * </ul>
 * It refuses malformed UTF-8 anywhere, numbers out of range, Base64 without proper padding,
 * lists nested deeper than {@link CodecLimits#maxListDepth()} inside an argument list (the
 * argument list itself not counted), and messages larger than
 * {@link CodecLimits#maxMessageBytes()} ({@link MalformedMessageException.Reason#OVERSIZED}).
 * A value must be followed by white space or ')'.
 */
public final class MessageCodec {

    private final CodecLimits limits;
    /** Recently read addresses, command names and symbols, shared by the threads that decode. */
    private final MessageParser.Caches caches;
    /** The text of the header addresses written most, written once each. */
    private final AddressTexts addressTexts = new AddressTexts();

    public MessageCodec() {
        this(CodecLimits.DEFAULT);
    }

    public MessageCodec(CodecLimits limits) {
        this(limits, MessageParser.Caches.create());
    }

    /** For tests: caches of another size. */
    MessageCodec(CodecLimits limits, MessageParser.Caches caches) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.caches = caches;
    }

    public CodecLimits limits() {
        return limits;
    }

    /** For tests. */
    MessageParser.Caches caches() {
        return caches;
    }

    /** Decodes a whole array; see {@link #decode(byte[], int, int)}. */
    public Message decode(byte[] bytes) {
        if (bytes == null) {
            throw MalformedMessageException.parseError(0, "no message (null)");
        }
        return decode(bytes, 0, bytes.length);
    }

    /**
     * Decodes the message text in {@code bytes[offset, offset + length)}; error offsets are
     * relative to {@code offset}.
     *
     * @throws MalformedMessageException for any input that is not a well-formed message within
     *         the limits, and for a null array or a range outside it
     */
    public Message decode(byte[] bytes, int offset, int length) {
        int end = checkRange(bytes, offset, length);
        while (end > offset && bytes[end - 1] == 0) {
            end--;
        }
        checkSize(end - offset);
        try {
            return new MessageParser(bytes, offset, end, limits.maxListDepth(), caches).message();
        } catch (MalformedMessageException e) {
            throw e;
        } catch (RuntimeException e) {
            throw internalError(e);
        }
    }

    /** Decodes the UTF-8 bytes of {@code text}, as read from a terminal or a file. */
    public Message parse(String text) {
        return decode(text == null ? null : text.getBytes(UTF_8));
    }

    /**
     * Parses one argument list as it is written after a command name, {@code (42 "x" (a b))},
     * with optional white space around it.
     *
     * @throws MalformedMessageException as {@link #decode(byte[])} does; offsets count UTF-8 bytes
     */
    public List<MbusValue> parseArguments(String text) {
        if (text == null) {
            throw MalformedMessageException.parseError(0, "no argument list (null)");
        }
        byte[] bytes = text.getBytes(UTF_8);
        checkSize(bytes.length);
        try {
            return new MessageParser(bytes, 0, bytes.length, limits.maxListDepth(), caches).argumentsOnly();
        } catch (MalformedMessageException e) {
            throw e;
        } catch (RuntimeException e) {
            throw internalError(e);
        }
    }

    /**
     * The canonical UTF-8 text of {@code message}. It does not check the size: the sender checks
     * the whole datagram after the security layer has added its digest and padding.
     *
     * @throws IllegalArgumentException when a string or address element has an unpaired surrogate
     *         (UTF-8 cannot carry it), or lists nest deeper than the limit (no peer would read it)
     */
    public byte[] encode(Message message) {
        MessageWriter writer = new MessageWriter(512, limits.maxListDepth(), false, addressTexts);
        writer.message(Objects.requireNonNull(message, "message"));
        return writer.toByteArray();
    }

    /**
     * The text of {@code commands} as {@link #encode} writes them, to measure and then send with
     * {@link #encode(Message, List)}: each command is written once.
     *
     * @throws IllegalArgumentException as {@link #encode(Message)} does
     */
    public CommandText write(List<Command> commands) {
        return CommandText.of(commands, limits.maxListDepth());
    }

    /**
     * The text of {@code message}, as {@link #encode(Message)} writes it, with its commands taken
     * from {@code texts}: the text of {@code message.commands()}, in order, which the caller made
     * with {@link #write}.
     */
    public byte[] encode(Message message, List<CommandText> texts) {
        MessageWriter writer = new MessageWriter(256 + totalLength(texts), limits.maxListDepth(), false, addressTexts);
        writer.message(Objects.requireNonNull(message, "message"), texts);
        return writer.toByteArray();
    }

    private static int totalLength(List<CommandText> texts) {
        int length = 0;
        for (CommandText text : texts) {
            length += text.length();
        }
        return length;
    }

    /** Bytes {@code address} takes in a message's header, parentheses included. */
    public int encodedLength(Address address) {
        MessageWriter writer = new MessageWriter(64, limits.maxListDepth(), false);
        writer.address(address);
        return writer.length();
    }

    /**
     * The canonical text of {@code message}, as {@link #encode} writes it except that a newline in
     * a string is written {@code \n}, so that the text has one line per command; it reads back as
     * the same message.
     */
    public String format(Message message) {
        MessageWriter writer = new MessageWriter(256, limits.maxListDepth(), true);
        writer.message(Objects.requireNonNull(message, "message"));
        return writer.toString();
    }

    /** The canonical text of one value, as it appears in an argument list: {@code "a \"b\""}, {@code (1 2.0)}. */
    public static String formatValue(MbusValue value) {
        MessageWriter writer = new MessageWriter(32, CodecLimits.DEFAULT.maxListDepth(), true);
        writer.value(Objects.requireNonNull(value, "value"), 0);
        return writer.toString();
    }

    private static int checkRange(byte[] bytes, int offset, int length) {
        if (bytes == null) {
            throw MalformedMessageException.parseError(0, "no message (null)");
        }
        if (offset < 0 || length < 0 || offset > bytes.length - length) {
            throw MalformedMessageException.parseError(0,
                    "range [" + offset + ", " + offset + "+" + length + ") outside an array of " + bytes.length);
        }
        return offset + length;
    }

    private void checkSize(int size) {
        if (size > limits.maxMessageBytes()) {
            throw MalformedMessageException.oversized(size, limits.maxMessageBytes());
        }
    }

    /**
     * A safety net that keeps the decoder's promise if the parser has a bug; the cause is kept
     * so tests and logs can tell it apart from a real parse error.
     */
    private static MalformedMessageException internalError(RuntimeException cause) {
        MalformedMessageException error = MalformedMessageException.parseError(0, "internal decoder error: " + cause);
        error.initCause(cause);
        return error;
    }
}
