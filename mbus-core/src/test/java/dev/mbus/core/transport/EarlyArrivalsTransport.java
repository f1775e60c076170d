package dev.mbus.core.transport;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * A transport that hands its receiver some datagrams the moment it starts, before it does
 * anything else: as a socket does with datagrams that reached it while its entity was still
 * being set up. Shows, without depending on who wins a race, whether an entity is ready for a
 * message as soon as it starts receiving.
 */
public final class EarlyArrivalsTransport implements Transport {

    private final Transport delegate;
    private final List<byte[]> early;
    private final InetSocketAddress from;

    public EarlyArrivalsTransport(Transport delegate, List<byte[]> early, InetSocketAddress from) {
        this.delegate = delegate;
        this.early = List.copyOf(early);
        this.from = from;
    }

    @Override
    public void start(DatagramReceiver receiver) {
        for (byte[] datagram : early) {
            receiver.receive(datagram, 0, datagram.length, from);
        }
        receiver.idle();
        delegate.start(receiver);
    }

    @Override
    public void sendToGroup(byte[] datagram, int offset, int length) {
        delegate.sendToGroup(datagram, offset, length);
    }

    @Override
    public void sendTo(InetSocketAddress endpoint, byte[] datagram, int offset, int length) {
        delegate.sendTo(endpoint, datagram, offset, length);
    }

    @Override
    public InetSocketAddress localEndpoint() {
        return delegate.localEndpoint();
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
