package dev.mbus.core.codec;

/**
 * Limits the decoder enforces so that hostile input costs bounded time and memory.
 *
 * @param maxListDepth   deepest nesting of lists inside an argument list
 * @param maxMessageBytes largest message text, in bytes
 */
public record CodecLimits(int maxListDepth, int maxMessageBytes) {

    /** The largest UDP payload over IPv4. */
    public static final int MAX_DATAGRAM_BYTES = 65_507;

    public static final CodecLimits DEFAULT = new CodecLimits(64, MAX_DATAGRAM_BYTES);

    public CodecLimits {
        if (maxListDepth < 1) {
            throw new IllegalArgumentException("maxListDepth must be at least 1: " + maxListDepth);
        }
        if (maxMessageBytes < 1 || maxMessageBytes > MAX_DATAGRAM_BYTES) {
            throw new IllegalArgumentException("maxMessageBytes must be 1.." + MAX_DATAGRAM_BYTES + ": " + maxMessageBytes);
        }
    }
}
