package dev.mbus.core.codec;

import dev.mbus.core.MbusException;

/**
 * A message to send does not fit one UDP datagram once signed (and encrypted): Mbus has no
 * fragmentation, so the sender must split the work into several messages.
 */
public class MessageTooLargeException extends MbusException {

    private final int datagramLength;
    private final int limit;

    public MessageTooLargeException(int datagramLength, int limit) {
        super("message too large: the datagram would be " + datagramLength
                + " bytes, more than the " + limit + " bytes one UDP datagram can carry");
        this.datagramLength = datagramLength;
        this.limit = limit;
    }

    /** The size the signed (and encrypted) datagram would have had. */
    public int datagramLength() {
        return datagramLength;
    }

    /** The largest datagram allowed. */
    public int limit() {
        return limit;
    }
}
