package dev.mbus.core.codec;

import dev.mbus.core.InvalidDatagramException;

/**
 * A message text the decoder refused: not well-formed ({@link Reason#PARSE_ERROR}) or larger than
 * the configured limit ({@link Reason#OVERSIZED}). It is the only exception
 * {@link MessageCodec#decode(byte[])} throws, whatever the input.
 *
 * <p>{@link #getMessage()} reads {@code parse error at byte 57: unterminated string}, or for a size
 * violation {@code message of 70000 bytes exceeds the limit of 65507}.
 */
public final class MalformedMessageException extends InvalidDatagramException {

    private final int offset;
    private final String detail;

    /**
     * @param reason why the message was refused
     * @param offset byte offset into the message text where the problem was found
     * @param detail short description of the problem, such as {@code unterminated string}
     */
    public MalformedMessageException(Reason reason, int offset, String detail) {
        super(reason, reason == Reason.OVERSIZED ? detail : "parse error at byte " + offset + ": " + detail);
        this.offset = offset;
        this.detail = detail;
    }

    /** A parse error at {@code offset}. */
    public static MalformedMessageException parseError(int offset, String detail) {
        return new MalformedMessageException(Reason.PARSE_ERROR, offset, detail);
    }

    /** A message of {@code size} bytes, over {@code limit}; the offset is the first byte past the limit. */
    public static MalformedMessageException oversized(int size, int limit) {
        return new MalformedMessageException(Reason.OVERSIZED, limit,
                "message of " + size + " bytes exceeds the limit of " + limit);
    }

    /** Byte offset into the message text where the problem was found. */
    public int offset() {
        return offset;
    }

    /** The problem, without the offset: {@code unterminated string}. */
    public String detail() {
        return detail;
    }
}
