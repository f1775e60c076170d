package dev.mbus.core.codec;

/**
 * Limits the decoder enforces so that hostile input costs bounded time and memory.
 *
 * @param maxListDepth   deepest nesting of lists inside an argument list (the argument list
 *                        itself not counted), 1 to {@value #MAX_LIST_DEPTH}
 * @param maxMessageBytes largest message text, in bytes
 */
public record CodecLimits(int maxListDepth, int maxMessageBytes) {

    /** The largest UDP payload over IPv4. */
    public static final int MAX_DATAGRAM_BYTES = 65_507;

    /**
     * The highest {@code maxListDepth} allowed. The decoder never recurses, but the encoder and
     * the value records' equals, hashCode and toString do (a few frames per level), so the
     * depth must stay well within a default 512 KB thread stack, even interpreted.
     */
    public static final int MAX_LIST_DEPTH = 256;

    public static final CodecLimits DEFAULT = new CodecLimits(64, MAX_DATAGRAM_BYTES);

    public CodecLimits {
        if (maxListDepth < 1 || maxListDepth > MAX_LIST_DEPTH) {
            throw new IllegalArgumentException("maxListDepth must be 1.." + MAX_LIST_DEPTH + ": " + maxListDepth);
        }
        if (maxMessageBytes < 1 || maxMessageBytes > MAX_DATAGRAM_BYTES) {
            throw new IllegalArgumentException("maxMessageBytes must be 1.." + MAX_DATAGRAM_BYTES + ": " + maxMessageBytes);
        }
    }
}
