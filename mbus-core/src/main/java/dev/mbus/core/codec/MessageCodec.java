package dev.mbus.core.codec;

import dev.mbus.core.message.Message;

/**
 * Mbus message text to {@link Message} and back (protocol §2-4). Thread-safe and stateless.
 *
 * <p>The encoder writes one canonical form: single spaces, LF line ends, unpadded numbers,
 * strings with only {@code \"}, {@code \\} and {@code \n} escaped. The decoder accepts every
 * form deployed peers write (width-padded numbers, runs of spaces, CRLF, any backslash escape,
 * exponents and signs) and throws nothing but {@link MalformedMessageException}.
 */
public final class MessageCodec {

    // TODO(helper-codec): implement
    public MessageCodec() {
        this(CodecLimits.DEFAULT);
    }

    public MessageCodec(CodecLimits limits) {
        throw new UnsupportedOperationException("not yet");
    }

    public Message decode(byte[] bytes, int offset, int length) {
        throw new UnsupportedOperationException("not yet");
    }

    public byte[] encode(Message message) {
        throw new UnsupportedOperationException("not yet");
    }
}
