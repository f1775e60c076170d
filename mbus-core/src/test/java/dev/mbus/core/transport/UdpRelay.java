package dev.mbus.core.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bad network on loopback for tests: a UDP socket on 127.0.0.1 that forwards every datagram a
 * member sends to every other member, each copy on its own lost with one probability, doubled
 * with another and delayed uniformly up to a maximum (so that copies overtake each other), with
 * a seeded random. Members are told apart by the source endpoint of what they send, and see the
 * relay as the source of everything they receive; {@link RelayedTransport} is such a member.
 *
 * <p>One daemon thread receives and decides the fate of each copy, another sends the copies when
 * their delay is over. {@link #close()} stops both.
 */
public final class UdpRelay implements AutoCloseable {

    private static final int MAX_DATAGRAM = 65_536;
    private static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;
    private static final long CLOSE_WAIT_MILLIS = 5_000;

    private final double loss;
    private final double duplication;
    private final long maxDelayMicros;
    private final Random random; // the receive thread's only
    private final DatagramChannel channel;
    private final InetSocketAddress endpoint;
    private final List<InetSocketAddress> members = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService forwarder;
    private final Thread receiveThread;
    private final AtomicInteger pending = new AtomicInteger();
    private final LongAdder forwarded = new LongAdder();
    private final LongAdder sendFailures = new LongAdder();
    private volatile long received;
    private volatile long lost;
    private volatile long duplicated;
    private volatile long strangers;
    private volatile boolean closed;

    private UdpRelay(double loss, double duplication, Duration maxDelay, long seed) throws IOException {
        this.loss = loss;
        this.duplication = duplication;
        this.maxDelayMicros = TimeUnit.NANOSECONDS.toMicros(maxDelay.toNanos());
        this.random = new Random(seed);
        this.channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
        channel.bind(new InetSocketAddress("127.0.0.1", 0));
        this.endpoint = (InetSocketAddress) channel.getLocalAddress();
        this.forwarder = Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, "forward"));
        this.receiveThread = daemon(this::receiveLoop, "receive");
    }

    /**
     * Opens the relay and starts forwarding.
     *
     * @param loss        probability, 0 to 1, that a copy is lost
     * @param duplication probability, 0 to 1, that a copy that is not lost arrives twice
     * @param maxDelay    each copy waits a time drawn uniformly from zero to this
     */
    public static UdpRelay open(double loss, double duplication, Duration maxDelay, long seed) {
        try {
            UdpRelay relay = new UdpRelay(loss, duplication, maxDelay, seed);
            relay.receiveThread.start();
            return relay;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the relay socket", e);
        }
    }

    /** Where members send; also the source of every datagram they receive. */
    public InetSocketAddress endpoint() {
        return endpoint;
    }

    /** From now on datagrams from {@code member} are forwarded, and those of others reach it. */
    public void join(InetSocketAddress member) {
        members.add(member);
    }

    public void leave(InetSocketAddress member) {
        members.remove(member);
    }

    /** Datagrams received from members. */
    public long received() {
        return received;
    }

    /** Copies lost on purpose. */
    public long lost() {
        return lost;
    }

    /** Copies sent twice on purpose. */
    public long duplicated() {
        return duplicated;
    }

    /** Copies sent (each of a doubled copy counts). */
    public long forwarded() {
        return forwarded.sum();
    }

    /** Copies waiting out their delay now. */
    public int pending() {
        return pending.get();
    }

    public String describe() {
        return "relay " + endpoint.getPort() + ": received " + received + ", lost " + lost + ", duplicated "
                + duplicated + ", forwarded " + forwarded() + ", send failures " + sendFailures.sum()
                + ", from strangers " + strangers;
    }

    private void receiveLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM);
        try {
            while (!closed) {
                buffer.clear();
                InetSocketAddress from = (InetSocketAddress) channel.receive(buffer);
                buffer.flip();
                byte[] datagram = new byte[buffer.remaining()];
                buffer.get(datagram);
                forward(datagram, from);
            }
        } catch (ClosedChannelException e) {
            // close() closed the socket under the blocked receive
        } catch (IOException e) {
            if (!closed) {
                throw new UncheckedIOException("relay " + endpoint + " stopped receiving", e);
            }
        }
    }

    private void forward(byte[] datagram, InetSocketAddress from) {
        if (!members.contains(from)) {
            strangers++;
            return;
        }
        received++;
        for (InetSocketAddress to : members) {
            if (to.equals(from)) {
                continue;
            }
            if (random.nextDouble() < loss) {
                lost++;
                continue;
            }
            int copies = 1;
            if (random.nextDouble() < duplication) {
                duplicated++;
                copies = 2;
            }
            for (int i = 0; i < copies; i++) {
                long delay = random.nextLong(maxDelayMicros + 1);
                pending.incrementAndGet();
                try {
                    forwarder.schedule(() -> send(datagram, to), delay, TimeUnit.MICROSECONDS);
                } catch (RejectedExecutionException e) {
                    pending.decrementAndGet(); // closing: the copy is dropped like those still waiting
                }
            }
        }
    }

    private void send(byte[] datagram, InetSocketAddress to) {
        try {
            channel.send(ByteBuffer.wrap(datagram), to);
            forwarded.increment();
        } catch (IOException e) {
            sendFailures.increment(); // closed meanwhile, or a member gone: the network lost it
        } finally {
            pending.decrementAndGet();
        }
    }

    /** Stops receiving and forwarding; copies still waiting are dropped. Idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            channel.close(); // wakes the receive thread blocked in receive
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        forwarder.shutdownNow();
        try {
            receiveThread.join(CLOSE_WAIT_MILLIS);
            forwarder.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Thread daemon(Runnable task, String job) {
        Thread thread = new Thread(task, "udp-relay-" + endpoint.getPort() + "-" + job);
        thread.setDaemon(true);
        return thread;
    }
}
