package dev.mbus.core.codec;

import dev.mbus.core.InvalidDatagramException;
import dev.mbus.core.message.Message;
import dev.mbus.core.security.DatagramSecurity;
import dev.mbus.core.security.MbusKeys;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Whole datagrams to {@link Message}s and back: the security layer ({@link DatagramSecurity}:
 * digest, cipher) around the text codec ({@link MessageCodec}). This is what a transport or a
 * tool uses; it is thread-safe and keeps no state between calls.
 *
 * <p>Receiving takes three steps, cheapest first, so that hostile input costs little: the size
 * check, then the digest check and decryption, then parsing. Whatever the input, decoding throws
 * nothing but {@link InvalidDatagramException}, whose {@link InvalidDatagramException#reason()}
 * says which step refused it.
 */
public final class DatagramCodec {

    /** The largest datagram, sent or received: the largest UDP payload over IPv4. */
    public static final int MAX_DATAGRAM_BYTES = CodecLimits.MAX_DATAGRAM_BYTES;

    /** The largest datagram {@link #decodeRepeated} remembers: what the UCL family sends. */
    public static final int REMEMBERED_MAX_BYTES = 1_500;

    /** The last datagram {@link #decodeRepeated} decoded on this thread, and with what. */
    private static final ThreadLocal<Decoded> LAST_DECODED = new ThreadLocal<>();

    private final DatagramSecurity security;
    private final MessageCodec codec;

    private record Decoded(MbusKeys keys, CodecLimits limits, byte[] datagram, Message message) {
    }

    /** A codec for a bus with these keys and the default parsing limits. */
    public DatagramCodec(MbusKeys keys) {
        this(new DatagramSecurity(Objects.requireNonNull(keys, "keys")), new MessageCodec());
    }

    public DatagramCodec(DatagramSecurity security, MessageCodec codec) {
        this.security = Objects.requireNonNull(security, "security");
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /** Verifies, decrypts and parses a whole datagram. */
    public Message decode(byte[] datagram) {
        if (datagram == null) {
            throw MalformedMessageException.parseError(0, "no datagram (null)");
        }
        return decode(datagram, 0, datagram.length);
    }

    /**
     * Verifies, decrypts and parses the datagram in {@code datagram[offset, offset+length)}.
     *
     * @throws InvalidDatagramException with reason OVERSIZED, TOO_SHORT, BAD_DIGEST,
     *         BAD_CIPHERTEXT or PARSE_ERROR; like {@link MessageCodec}, a null array or a range
     *         outside it is a PARSE_ERROR too, so that nothing else ever escapes
     */
    public Message decode(byte[] datagram, int offset, int length) {
        checkRange(datagram, offset, length);
        return openAndParse(datagram, offset, length);
    }

    /**
     * {@link #decode(byte[], int, int)}, except that a datagram of at most
     * {@value #REMEMBERED_MAX_BYTES} bytes equal to the last one this thread decoded with a codec
     * of the same keys and limits gives that one's message again (messages are immutable). The
     * entities of a receive thread share a group socket and get each group datagram in turn: so
     * they verify and parse a hello once, not once each. Larger datagrams, which only our own
     * entities send, are decoded each time rather than copied.
     */
    public Message decodeRepeated(byte[] datagram, int offset, int length) {
        checkRange(datagram, offset, length);
        if (length > REMEMBERED_MAX_BYTES) {
            return openAndParse(datagram, offset, length);
        }
        Decoded last = LAST_DECODED.get();
        if (last != null && last.datagram.length == length
                && Arrays.equals(last.datagram, 0, length, datagram, offset, offset + length)
                && (last.keys == security.keys() || last.keys.equals(security.keys()))
                && last.limits.equals(codec.limits())) {
            return last.message;
        }
        Message message = openAndParse(datagram, offset, length);
        LAST_DECODED.set(new Decoded(security.keys(), codec.limits(),
                Arrays.copyOfRange(datagram, offset, offset + length), message));
        return message;
    }

    private static void checkRange(byte[] datagram, int offset, int length) {
        if (datagram == null) {
            throw MalformedMessageException.parseError(0, "no datagram (null)");
        }
        if (offset < 0 || length < 0 || offset > datagram.length - length) {
            throw MalformedMessageException.parseError(0,
                    "range [" + offset + ", " + offset + "+" + length + ") outside an array of " + datagram.length);
        }
        if (length > MAX_DATAGRAM_BYTES) {
            throw MalformedMessageException.oversized(length, MAX_DATAGRAM_BYTES);
        }
    }

    private Message openAndParse(byte[] datagram, int offset, int length) {
        byte[] plaintext = security.open(datagram, offset, length);
        return codec.decode(plaintext, 0, plaintext.length);
    }

    /** The text codec inside, for sizes and formatting. */
    public MessageCodec messages() {
        return codec;
    }

    /** The length of the datagram made of {@code textLength} bytes of message text: digest line and padding added. */
    public int datagramLength(int textLength) {
        return security.sealedLength(textLength);
    }

    /**
     * Formats, pads, encrypts and signs a message into one datagram.
     *
     * @throws MessageTooLargeException when the datagram would exceed {@link #MAX_DATAGRAM_BYTES}
     */
    public byte[] encode(Message message) {
        return seal(codec.encode(message));
    }

    /**
     * {@link #encode(Message)} with the commands' text already written: see {@link
     * MessageCodec#encode(Message, List)}.
     */
    public byte[] encode(Message message, List<CommandText> texts) {
        return seal(codec.encode(message, texts));
    }

    private byte[] seal(byte[] text) {
        // The datagram is never smaller than its text; checking first keeps sealedLength
        // away from int overflow on absurd inputs.
        int datagramLength = text.length > MAX_DATAGRAM_BYTES
                ? text.length + DatagramSecurity.HEADER_BYTES : security.sealedLength(text.length);
        if (datagramLength > MAX_DATAGRAM_BYTES) {
            throw new MessageTooLargeException(datagramLength, MAX_DATAGRAM_BYTES);
        }
        return security.seal(text, 0, text.length);
    }
}
