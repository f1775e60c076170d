package dev.mbus.core.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link Transport} on a real UDP socket on 127.0.0.1 whose every datagram, to the group or to
 * one entity, goes to a {@link UdpRelay}; the relay forwards it to the other members. So the
 * source of everything this transport receives is the relay, and the endpoint the engine learns
 * for a peer, and later passes to {@link #sendTo}, is the relay's too.
 *
 * <p>Like {@link UdpTransport}: one daemon receive thread calls {@link DatagramReceiver#receive}
 * for each datagram and {@link DatagramReceiver#idle()} when none is left to read; sends are
 * thread-safe, and a datagram the full send buffer cannot take is dropped and counted.
 */
public final class RelayedTransport implements Transport {

    private static final int MAX_DATAGRAM = 65_536;
    private static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;
    private static final long CLOSE_WAIT_MILLIS = 5_000;

    private final UdpRelay relay;
    private final DatagramChannel channel;
    private final Selector selector;
    private final InetSocketAddress localEndpoint;
    private final LongAdder sendDropped = new LongAdder();
    private final LongAdder receiverErrors = new LongAdder();
    private final Object lifecycle = new Object();
    private volatile boolean closed;
    private Thread thread;

    private RelayedTransport(UdpRelay relay) throws IOException {
        this.relay = relay;
        this.channel = DatagramChannel.open(StandardProtocolFamily.INET);
        this.selector = Selector.open();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
        channel.bind(new InetSocketAddress("127.0.0.1", 0));
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_READ);
        this.localEndpoint = (InetSocketAddress) channel.getLocalAddress();
    }

    /** Opens a socket and makes it a member of {@code relay}. */
    public static RelayedTransport join(UdpRelay relay) {
        Objects.requireNonNull(relay, "relay");
        try {
            RelayedTransport transport = new RelayedTransport(relay);
            relay.join(transport.localEndpoint);
            return transport;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a socket for the relay", e);
        }
    }

    @Override
    public void start(DatagramReceiver receiver) {
        Objects.requireNonNull(receiver, "receiver");
        synchronized (lifecycle) {
            if (closed || thread != null) {
                throw new IllegalStateException((closed ? "closed: " : "already started: ") + describe());
            }
            thread = new Thread(() -> receiveLoop(receiver), "relayed-receive-" + localEndpoint.getPort());
            thread.setDaemon(true);
            thread.start();
        }
    }

    @Override
    public void sendToGroup(byte[] datagram, int offset, int length) {
        sendToRelay(datagram, offset, length);
    }

    /** {@code endpoint} is the relay (the source of all a peer's datagrams), and so is where this goes. */
    @Override
    public void sendTo(InetSocketAddress endpoint, byte[] datagram, int offset, int length) {
        sendToRelay(datagram, offset, length);
    }

    private void sendToRelay(byte[] datagram, int offset, int length) {
        try {
            if (channel.send(ByteBuffer.wrap(datagram, offset, length), relay.endpoint()) == 0) {
                sendDropped.increment();
            }
        } catch (IOException e) {
            throw new TransportException("cannot send to " + relay.endpoint() + ": " + e, e);
        }
    }

    @Override
    public InetSocketAddress localEndpoint() {
        return localEndpoint;
    }

    /** Also counts what went wrong here rather than in the relay: send buffer full, receiver threw. */
    @Override
    public String describe() {
        return "relayed through 127.0.0.1:" + relay.endpoint().getPort() + ", endpoint 127.0.0.1:"
                + localEndpoint.getPort() + ", send dropped " + sendDropped.sum() + ", receiver errors "
                + receiverErrors.sum();
    }

    private void receiveLoop(DatagramReceiver receiver) {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM);
        try {
            while (!closed) {
                if (selector.select() == 0) {
                    continue; // woken by close()
                }
                selector.selectedKeys().clear();
                while (!closed && receiveOne(buffer, receiver)) {
                    // drain what is waiting before telling the receiver it may flush
                }
                if (!closed) {
                    receiver.idle();
                }
            }
        } catch (ClosedSelectorException | ClosedChannelException e) {
            // closed by close()
        } catch (IOException e) {
            if (!closed) {
                throw new UncheckedIOException(describe() + " stopped receiving", e);
            }
        }
    }

    private boolean receiveOne(ByteBuffer buffer, DatagramReceiver receiver) throws IOException {
        buffer.clear();
        InetSocketAddress from = (InetSocketAddress) channel.receive(buffer);
        if (from == null) {
            return false;
        }
        try {
            receiver.receive(buffer.array(), 0, buffer.position(), from);
        } catch (RuntimeException e) {
            receiverErrors.increment();
        }
        return true;
    }

    /** Leaves the relay, stops the receive thread (waiting for a callback in progress) and closes the socket. */
    @Override
    public void close() {
        Thread receiveThread;
        synchronized (lifecycle) {
            closed = true;
            receiveThread = thread;
        }
        relay.leave(localEndpoint);
        selector.wakeup();
        if (receiveThread != null && receiveThread != Thread.currentThread()) {
            try {
                receiveThread.join(CLOSE_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            selector.close();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
