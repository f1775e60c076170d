package dev.mbus.core.engine;

import dev.mbus.core.codec.DatagramCodec;
import java.time.Duration;
import java.util.Objects;

/**
 * How an entity gathers commands sent in quick succession into fewer messages (a message may
 * carry several commands, protocol §2). A send goes out at once unless it is part of a burst:
 * the third or later of sends that each came less than {@code linger} after the one before.
 * An entity that sends now and then, or at a steady pace slower than that, never waits. Within
 * a burst, commands to the same destination and of the same kind (reliable or not) share one
 * message, which goes out when the next command would not fit, when a command for another
 * destination or of the other kind comes, or {@code linger} after its first command, whichever
 * is first. Order is kept: commands leave in the order they were sent.
 *
 * <p>A batch may grow to {@code maxOwnDatagramBytes} while every entity known is one of this
 * library's ({@link dev.mbus.core.awareness.PeerKind#OURS}) and at least one is: then nobody known
 * to have a small receive buffer can receive it, whether it goes to the group or by unicast to a
 * sole peer. A UCL tool that has joined but not yet said hello would miss such a batch sent to
 * the group, as it misses everything sent before it joined; once it is heard (or any peer not
 * shown to be ours), batches keep to {@code maxDatagramBytes} again from the next one.
 *
 * @param linger              longest delay a command can get; zero turns batching off
 * @param maxDatagramBytes    largest datagram a batch may make, digest and padding included; a
 *                            single send larger than that goes out alone, as it is. The default,
 *                            1500, is what the reference implementation can receive.
 * @param maxOwnDatagramBytes largest datagram a batch may make while every entity known is one of
 *                            ours; from {@code maxDatagramBytes} to 65,507. The default,
 *                            {@value #DEFAULT_OWN_DATAGRAM_BYTES}, already makes {@code sendto}
 *                            a small part of a command's cost; larger ones gain little more, and
 *                            cost more where the kernel grants a small socket receive buffer
 *                            (208 KiB by default on Linux holds only a few 60 KB datagrams) or
 *                            where a datagram crosses a 1,500-byte link as IP fragments, any one
 *                            of whose loss loses it all.
 */
public record Batching(Duration linger, int maxDatagramBytes, int maxOwnDatagramBytes) {

    /** The default {@link #maxOwnDatagramBytes}. */
    public static final int DEFAULT_OWN_DATAGRAM_BYTES = 8192;

    /** The longest linger allowed: past it, batching would cost more latency than it saves. */
    public static final Duration MAX_LINGER = Duration.ofMillis(1);

    /** 50 µs, 1500 bytes, 8192 between our own entities. */
    public static final Batching DEFAULT = new Batching(Duration.ofNanos(50_000), 1500);
    /** Every send is a message of its own. */
    public static final Batching OFF = new Batching(Duration.ZERO, 1500);

    public Batching {
        Objects.requireNonNull(linger, "linger");
        if (linger.isNegative() || linger.compareTo(MAX_LINGER) > 0) {
            throw new IllegalArgumentException("batch linger must be between 0 and 1 ms: " + linger);
        }
        if (maxDatagramBytes < 256) {
            throw new IllegalArgumentException("batches must be allowed at least 256 bytes: " + maxDatagramBytes);
        }
        if (maxOwnDatagramBytes < maxDatagramBytes || maxOwnDatagramBytes > DatagramCodec.MAX_DATAGRAM_BYTES) {
            throw new IllegalArgumentException("batches between our own entities must be allowed from "
                    + maxDatagramBytes + " (the limit for others) to " + DatagramCodec.MAX_DATAGRAM_BYTES
                    + " bytes: " + maxOwnDatagramBytes);
        }
    }

    /** The default limit between our own entities, or {@code maxDatagramBytes} when that is larger. */
    public Batching(Duration linger, int maxDatagramBytes) {
        this(linger, maxDatagramBytes, Math.max(maxDatagramBytes, DEFAULT_OWN_DATAGRAM_BYTES));
    }

    public boolean enabled() {
        return !linger.isZero();
    }
}
