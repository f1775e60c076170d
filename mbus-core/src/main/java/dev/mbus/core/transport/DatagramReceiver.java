package dev.mbus.core.transport;

import java.net.InetSocketAddress;

/** Takes received datagrams. The buffer is only valid during the call. */
@FunctionalInterface
public interface DatagramReceiver {

    void receive(byte[] buffer, int offset, int length, InetSocketAddress sender);

    /**
     * Called when the transport has delivered every datagram it had ready and is about to
     * block: the moment to flush coalesced acknowledgements without delaying them.
     */
    default void idle() {
    }
}
