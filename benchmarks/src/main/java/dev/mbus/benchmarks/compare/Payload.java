package dev.mbus.benchmarks.compare;

import java.nio.ByteBuffer;

/**
 * The application data every system carries: {@value #BYTES} bytes, the first eight the
 * message's number and the next eight when it was sent ({@link System#nanoTime()}), so that an
 * echo tells its round-trip time.
 */
public final class Payload {

    public static final int BYTES = 200;
    /** Where the send time starts. */
    public static final int SENT_AT = 8;

    private Payload() {
    }

    /** Fills {@code buffer} from its position with a payload for message {@code index}, sent now. */
    public static void stamp(ByteBuffer buffer, long index) {
        int at = buffer.position();
        buffer.putLong(at, index).putLong(at + SENT_AT, System.nanoTime());
    }

    /** When the payload at {@code offset} in {@code bytes} was sent. */
    public static long sentAt(ByteBuffer bytes, int offset) {
        return bytes.getLong(offset + SENT_AT);
    }
}
