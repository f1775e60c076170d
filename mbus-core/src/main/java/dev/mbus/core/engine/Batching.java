package dev.mbus.core.engine;

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
 * @param linger          longest delay a command can get; zero turns batching off
 * @param maxDatagramBytes largest datagram a batch may make, digest and padding included; a
 *                        single send larger than that goes out alone, as it is. The default,
 *                        1500, is what the reference implementation can receive.
 */
public record Batching(Duration linger, int maxDatagramBytes) {

    /** The longest linger allowed: past it, batching would cost more latency than it saves. */
    public static final Duration MAX_LINGER = Duration.ofMillis(1);

    /** 50 µs, 1500 bytes. */
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
    }

    public boolean enabled() {
        return !linger.isZero();
    }
}
