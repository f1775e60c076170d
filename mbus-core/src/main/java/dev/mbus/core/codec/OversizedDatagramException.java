package dev.mbus.core.codec;

import dev.mbus.core.InvalidDatagramException;

/**
 * A received datagram is larger than any UDP payload can be (or than a configured limit); it
 * is refused before any authentication or parsing work is spent on it.
 */
public class OversizedDatagramException extends InvalidDatagramException {

    private final long length;
    private final int limit;

    public OversizedDatagramException(long length, int limit) {
        super(Reason.OVERSIZED, "oversized: " + length + " bytes, more than the " + limit
                + " bytes a datagram may have");
        this.length = length;
        this.limit = limit;
    }

    /** The size of the refused input. */
    public long length() {
        return length;
    }

    public int limit() {
        return limit;
    }
}
