package dev.mbus.core.sim;

import dev.mbus.core.transport.DatagramReceiver;
import dev.mbus.core.transport.Transport;
import java.net.InetSocketAddress;

/**
 * One member of a {@link SimNetwork}: sends hand the datagram to the network, which calls the
 * receiver back on the simulation's thread when the datagram is due. Closing it directly, rather
 * than through the entity, is a process dying without a word.
 */
final class SimTransport implements Transport {

    private final SimNetwork network;
    private final InetSocketAddress endpoint;
    private DatagramReceiver receiver;
    private boolean closed;

    SimTransport(SimNetwork network, InetSocketAddress endpoint) {
        this.network = network;
        this.endpoint = endpoint;
    }

    @Override
    public void start(DatagramReceiver newReceiver) {
        if (receiver != null || closed) {
            throw new IllegalStateException("transport " + endpoint + " already started or closed");
        }
        this.receiver = newReceiver;
    }

    @Override
    public void sendToGroup(byte[] datagram, int offset, int length) {
        if (!closed) {
            network.send(this, datagram, offset, length, null);
        }
    }

    @Override
    public void sendTo(InetSocketAddress to, byte[] datagram, int offset, int length) {
        if (!closed) {
            network.send(this, datagram, offset, length, to);
        }
    }

    @Override
    public InetSocketAddress localEndpoint() {
        return endpoint;
    }

    @Override
    public String describe() {
        return "simulated network, endpoint " + endpoint;
    }

    /** Started and not closed: it receives what is sent to the group or to its endpoint. */
    boolean isLive() {
        return receiver != null && !closed;
    }

    DatagramReceiver receiver() {
        return receiver;
    }

    @Override
    public void close() {
        closed = true;
    }
}
