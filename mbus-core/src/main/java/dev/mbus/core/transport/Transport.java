package dev.mbus.core.transport;

import java.net.InetSocketAddress;

/**
 * Moves datagrams between this entity and the bus. The engine never touches sockets itself,
 * so tests can put a deterministic, lossy in-memory network in place of UDP.
 *
 * <p>Threading contract: receiver callbacks run on a thread of the transport (which may serve
 * other transports too), one at a time; the send methods are thread-safe and may be called from
 * a callback.
 */
public interface Transport extends AutoCloseable {

    /**
     * Starts receiving. {@code receiver} is called for every datagram from the group or sent to
     * this entity's unicast endpoint, except those this transport itself sent. Called at most once.
     *
     * @throws IllegalStateException if already started or closed
     */
    void start(DatagramReceiver receiver);

    /**
     * Sends to every entity on the bus (the multicast group). Like UDP, delivery is not assured.
     *
     * @throws TransportException if the socket reports an error or the transport is closed
     */
    void sendToGroup(byte[] datagram, int offset, int length);

    /**
     * Sends to one entity's unicast endpoint, as learned from the source of its datagrams.
     *
     * @throws TransportException if the socket reports an error or the transport is closed
     */
    void sendTo(InetSocketAddress endpoint, byte[] datagram, int offset, int length);

    /** The endpoint other entities see as the source of this entity's datagrams. */
    InetSocketAddress localEndpoint();

    /** A short description for logs and health: group, port, interface, scope. */
    String describe();

    /**
     * Stops receiving and releases the sockets; idempotent. No callback runs after this returns
     * (when called from outside a callback).
     */
    @Override
    void close();
}
