package dev.mbus.core.transport;

import java.net.InetSocketAddress;

/**
 * Takes received datagrams. The buffer is only valid during the call: it is reused for the next
 * datagram, so copy what must be kept.
 */
@FunctionalInterface
public interface DatagramReceiver {

    /**
     * One datagram, {@code buffer[offset .. offset + length)}, from {@code sender} (the sending
     * entity's unicast endpoint). A {@link RuntimeException} thrown here is counted and reception
     * goes on.
     */
    void receive(byte[] buffer, int offset, int length, InetSocketAddress sender);

    /**
     * Called when the transport has delivered every datagram it had ready and no more came
     * while its thread looked for work (within microseconds, unless the thread is busy with
     * another transport's datagrams): the moment to flush coalesced acknowledgements. A flow
     * that keeps coming within that look gets none in between, so its acknowledgements gather.
     */
    default void idle() {
    }
}
