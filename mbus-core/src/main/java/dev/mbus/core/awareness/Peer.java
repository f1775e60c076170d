package dev.mbus.core.awareness;

import dev.mbus.core.message.Address;
import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * Another entity on the bus, as last heard.
 *
 * @param address    its own address (the source address of its messages)
 * @param endpoint   the IP and port its datagrams come from
 * @param firstHeard when it was first heard
 * @param lastHeard  when anything was last heard from it
 * @param kind       what implementation it is, as far as what it sent shows (see {@link PeerKind})
 */
public record Peer(Address address, InetSocketAddress endpoint, Instant firstHeard, Instant lastHeard, PeerKind kind) {

    /** A peer of no known kind ({@link PeerKind#OTHER}), as peers were before kinds were told apart. */
    public Peer(Address address, InetSocketAddress endpoint, Instant firstHeard, Instant lastHeard) {
        this(address, endpoint, firstHeard, lastHeard, PeerKind.OTHER);
    }

    /** Whether it is known to be an entity of this library. */
    public boolean isOurs() {
        return kind == PeerKind.OURS;
    }
}
