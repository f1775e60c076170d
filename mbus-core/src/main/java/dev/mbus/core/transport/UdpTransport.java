package dev.mbus.core.transport;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The Mbus transport over UDP multicast (RFC 3259 §5), JDK sockets only.
 *
 * <h2>Sockets</h2>
 * <ul>
 * <li><b>Group socket</b>: {@code SO_REUSEADDR}, bound to <em>group</em>:<em>port</em>, joined to
 * the group on the chosen interface. {@code SO_REUSEADDR} is all Linux needs for every entity of
 * the host to bind the port and get every group datagram ({@code SO_REUSEPORT} is not set: it
 * adds nothing for multicast on Linux, and on macOS/BSD the JDK already turns {@code SO_REUSEADDR}
 * on a datagram socket into {@code SO_REUSEPORT}). Binding the group address rather than the
 * wildcard keeps unicast datagrams that other programs send to the bus port out of this socket
 * (with the wildcard, Linux hands each such datagram to just one of the sockets sharing the port);
 * where binding a multicast address is refused (Windows) the wildcard is used instead. The
 * kernel copies each group datagram to every socket joined to the group, so the transports of
 * one receive thread share one group socket: the one the first of them opened. The others close
 * theirs when they start receiving.</li>
 * <li><b>Entity socket</b>: bound to the interface's address and an ephemeral port; sends
 * everything ({@code IP_MULTICAST_IF} = the interface, {@code IP_MULTICAST_TTL} = the scope's TTL,
 * {@code IP_MULTICAST_LOOP} on so the other entities of the host receive). Its address and port
 * are {@link #localEndpoint()}, and it receives the unicast datagrams sent to this entity.</li>
 * </ul>
 *
 * <h2>Receiving</h2>
 * A platform daemon thread, {@code mbus-receive-<port>}, selects over both sockets, drains each
 * ready one (taking turns, 64 datagrams at a time, until a receive finds nothing), calls
 * {@link DatagramReceiver#receive} for each datagram, and then {@link DatagramReceiver#idle()}
 * once the transport has nothing left and nothing more came while the thread looked for work
 * (a few microseconds of polling while traffic flows). The transports of one bus port in this
 * JVM share a few such threads ({@link ReceiveLoops}) and their group sockets: a datagram to
 * the group then reaches a few sockets and wakes a few threads rather than one of each per
 * entity. A transport's callbacks run on one of them, one at a time, with a reused buffer; a
 * callback that blocks delays the other transports of its thread. Datagrams whose
 * source is {@link #localEndpoint()} (this entity's own multicasts coming back through the loop)
 * are dropped. A callback that throws a {@link RuntimeException} is
 * counted, logged now and then, and the loop goes on.
 *
 * <h2>Sending</h2>
 * {@link #sendToGroup} and {@link #sendTo} are thread-safe and may be called from a callback. The
 * entity socket is non-blocking (it is registered with the selector), which also means that
 * interrupting a sending thread never closes it. When the socket send buffer is full the send is
 * retried briefly (spinning, then parking, at most {@value #SEND_RETRY_MILLIS} ms); a datagram
 * that still does not fit is dropped and counted in {@link TransportStats#sendDropped()}, like
 * any other UDP loss. An I/O error is counted and thrown as a {@link TransportException}.
 *
 * <h2>Life cycle</h2>
 * {@link #open} binds and joins (so {@link #localEndpoint()} is known at once and sending works),
 * {@link #start} hands both sockets to a receive thread, {@link #close()} takes them back and
 * releases them: the entity socket at once, the group socket it shares with the last transport
 * of its thread (the thread stops with that one too).
 */
public final class UdpTransport implements Transport {

    private static final System.Logger LOG = System.getLogger(UdpTransport.class.getName());

    static final int SEND_BUFFER_BYTES = 1024 * 1024;
    static final long SEND_RETRY_MILLIS = 10;
    private static final int SEND_SPINS = 100;
    private static final long SEND_PARK_NANOS = 20_000;
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final TransportSettings settings;
    private final NetworkInterface networkInterface;
    private final InetSocketAddress groupEndpoint;
    private final DatagramChannel entityChannel;
    private final InetSocketAddress localEndpoint;
    private final InetAddress localAddress;
    private final int localPort;
    private final int receiveBufferBytes;
    private final String description;

    // Receive side: written by the receive thread only.
    private volatile long received;
    private volatile long receiveFailures;
    private volatile long receiverErrors;
    private volatile long ownDropped;
    private long lastReceiverErrorLog;
    private long lastReceiveFailureLog;

    // Send side: any thread.
    private final LongAdder sent = new LongAdder();
    private final LongAdder sendFailures = new LongAdder();
    private final LongAdder sendDropped = new LongAdder();

    // Life cycle.
    private final Object lifecycle = new Object();
    private volatile boolean closed;
    private boolean released;
    /** Until a receive thread takes it, or the transport is released. */
    private GroupSocket groupSocket;
    private ReceiveLoop.Registration registration;
    private DatagramReceiver receiver;

    private UdpTransport(TransportSettings settings, NetworkInterface networkInterface,
            InetSocketAddress groupEndpoint, GroupSocket groupSocket, DatagramChannel entityChannel,
            int receiveBufferBytes) throws IOException {
        this.settings = settings;
        this.networkInterface = networkInterface;
        this.groupEndpoint = groupEndpoint;
        this.groupSocket = groupSocket;
        this.entityChannel = entityChannel;
        this.localEndpoint = (InetSocketAddress) entityChannel.getLocalAddress();
        this.localAddress = localEndpoint.getAddress();
        this.localPort = localEndpoint.getPort();
        this.receiveBufferBytes = receiveBufferBytes;
        this.description = format(groupEndpoint) + " on " + networkInterface.getName() + ", "
                + settings.scope() + " (TTL " + settings.scope().ttl() + "), receive buffer "
                + receiveBufferBytes + ", endpoint " + format(localEndpoint);
    }

    /**
     * Binds both sockets and joins the group; call {@link #start} to receive.
     *
     * @throws IllegalArgumentException if the interface cannot be used (see {@link NetworkInterfaces})
     * @throws TransportException if a socket cannot be opened, bound or joined
     */
    public static UdpTransport open(TransportSettings settings) {
        Objects.requireNonNull(settings, "settings");
        NetworkInterfaces.Resolved nif = NetworkInterfaces.resolve(settings.networkInterface(), settings.ipv6());
        InetAddress group = scoped(settings.groupAddress(), nif.networkInterface());
        InetSocketAddress groupEndpoint = new InetSocketAddress(group, settings.port());
        ProtocolFamily family = settings.ipv6() ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        DatagramChannel groupChannel = null;
        DatagramChannel entityChannel = null;
        String step = "open the group socket";
        try {
            groupChannel = DatagramChannel.open(family);
            groupChannel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            groupChannel.setOption(StandardSocketOptions.SO_RCVBUF, settings.receiveBufferBytes());
            step = "bind port " + settings.port();
            bindGroupChannel(groupChannel, groupEndpoint);
            step = "join " + group.getHostAddress() + " on " + nif.name();
            MembershipKey membership = groupChannel.join(group, nif.networkInterface());
            groupChannel.configureBlocking(false);
            int granted = groupChannel.getOption(StandardSocketOptions.SO_RCVBUF);

            step = "open the entity socket on " + nif.address().getHostAddress();
            entityChannel = DatagramChannel.open(family);
            entityChannel.setOption(StandardSocketOptions.SO_RCVBUF, settings.receiveBufferBytes());
            entityChannel.setOption(StandardSocketOptions.SO_SNDBUF, SEND_BUFFER_BYTES);
            entityChannel.setOption(StandardSocketOptions.IP_MULTICAST_IF, nif.networkInterface());
            entityChannel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, settings.scope().ttl());
            entityChannel.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            entityChannel.bind(new InetSocketAddress(nif.address(), 0));
            entityChannel.configureBlocking(false);

            GroupSocket groupSocket = new GroupSocket(new GroupSocket.Key(groupEndpoint, nif.networkInterface()),
                    groupChannel, membership, settings.receiveBufferBytes());
            UdpTransport transport = new UdpTransport(settings, nif.networkInterface(), groupEndpoint,
                    groupSocket, entityChannel, granted);
            if (granted < settings.receiveBufferBytes()) {
                LOG.log(System.Logger.Level.DEBUG, "Asked for a {0}-byte receive buffer, got {1} "
                        + "(raise net.core.rmem_max for more)", settings.receiveBufferBytes(), granted);
            }
            LOG.log(System.Logger.Level.DEBUG, "Opened {0}", transport.description);
            return transport;
        } catch (IOException | RuntimeException e) {
            closeQuietly(entityChannel);
            closeQuietly(groupChannel);
            if (e instanceof RuntimeException) {
                throw (RuntimeException) e;
            }
            throw new TransportException("Cannot open the Mbus transport for " + format(groupEndpoint)
                    + " on " + nif.name() + ": failed to " + step + ": " + e.getMessage(), e);
        }
    }

    /** Group address first (filters unrelated unicast); the wildcard where that is refused. */
    private static void bindGroupChannel(DatagramChannel channel, InetSocketAddress groupEndpoint)
            throws IOException {
        try {
            channel.bind(groupEndpoint);
        } catch (IOException groupBindFailure) {
            try {
                channel.bind(new InetSocketAddress(groupEndpoint.getPort()));
            } catch (IOException wildcardFailure) {
                wildcardFailure.addSuppressed(groupBindFailure);
                throw wildcardFailure;
            }
        }
    }

    /** Interface- and link-local IPv6 groups only mean something together with an interface. */
    private static InetAddress scoped(InetAddress group, NetworkInterface nif) {
        if (group instanceof Inet6Address && (group.isMCNodeLocal() || group.isMCLinkLocal())) {
            try {
                return Inet6Address.getByAddress(null, group.getAddress(), nif);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e); // 16 bytes: cannot happen
            }
        }
        return group;
    }

    @Override
    public void start(DatagramReceiver receiver) {
        Objects.requireNonNull(receiver, "receiver");
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("Transport is closed: " + description);
            }
            if (registration != null) {
                throw new IllegalStateException("Transport already started: " + description);
            }
            this.receiver = receiver;
            try {
                registration = ReceiveLoops.join(settings.port(), new Receiving());
            } catch (IOException e) {
                throw new TransportException("Cannot start receiving for " + description
                        + ": failed to open a selector: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void sendToGroup(byte[] datagram, int offset, int length) {
        send(groupEndpoint, datagram, offset, length);
    }

    @Override
    public void sendTo(InetSocketAddress endpoint, byte[] datagram, int offset, int length) {
        Objects.requireNonNull(endpoint, "endpoint");
        if (endpoint.isUnresolved()) {
            throw new IllegalArgumentException("Unresolved endpoint " + endpoint);
        }
        send(endpoint, datagram, offset, length);
    }

    private void send(InetSocketAddress target, byte[] datagram, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, datagram.length);
        if (closed) {
            throw new TransportException("Cannot send to " + format(target) + ": transport is closed");
        }
        ByteBuffer data = ByteBuffer.wrap(datagram, offset, length);
        try {
            if (entityChannel.send(data, target) == 0 && !retrySend(data, target)) {
                sendDropped.increment();
                return;
            }
            sent.increment();
        } catch (IOException e) {
            if (closed || e instanceof ClosedChannelException) {
                throw new TransportException("Cannot send to " + format(target) + ": transport is closed", e);
            }
            sendFailures.increment();
            throw new TransportException("Sending " + length + " bytes to " + format(target) + " from "
                    + format(localEndpoint) + " failed: " + e.getMessage(), e);
        }
    }

    /** The send buffer was full: retry for a short while, spinning first, then parking. */
    private boolean retrySend(ByteBuffer data, InetSocketAddress target) throws IOException {
        for (int i = 0; i < SEND_SPINS; i++) {
            Thread.onSpinWait();
            if (entityChannel.send(data, target) != 0) {
                return true;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SEND_RETRY_MILLIS);
        do {
            LockSupport.parkNanos(SEND_PARK_NANOS);
            if (entityChannel.send(data, target) != 0) {
                return true;
            }
        } while (System.nanoTime() - deadline < 0 && !closed);
        return false;
    }

    @Override
    public InetSocketAddress localEndpoint() {
        return localEndpoint;
    }

    /** The group and port datagrams are sent to (IPv6 groups carry the interface as scope). */
    public InetSocketAddress groupEndpoint() {
        return groupEndpoint;
    }

    public NetworkInterface networkInterface() {
        return networkInterface;
    }

    public TransportSettings settings() {
        return settings;
    }

    /**
     * The receive buffer the kernel granted, as the JDK reports it (on Linux: the requested size
     * capped at {@code net.core.rmem_max}; the kernel books twice that for its overhead).
     */
    public int receiveBufferBytes() {
        return receiveBufferBytes;
    }

    @Override
    public String describe() {
        return description;
    }

    /** Counters since {@link #open}; each value is read on its own, so the sum is not atomic. */
    public TransportStats stats() {
        return new TransportStats(received, sent.sum(), sendFailures.sum(), sendDropped.sum(),
                receiveFailures, receiverErrors, ownDropped);
    }

    /**
     * Stops the callbacks, leaves the group and closes both sockets; idempotent. When called from
     * another thread, no callback runs after it returns and the ports are free (unless a callback
     * was blocked for 5 s, which is logged). When called from a callback, nothing more is
     * delivered and the sockets are released as soon as the callback returns.
     */
    @Override
    public void close() {
        ReceiveLoop.Registration started;
        synchronized (lifecycle) {
            closed = true;
            started = registration;
        }
        if (started == null) {
            release();
        } else {
            started.leave();
        }
    }

    private void release() {
        GroupSocket unshared;
        synchronized (lifecycle) {
            if (released) {
                return;
            }
            released = true;
            unshared = groupSocket;
            groupSocket = null;
        }
        if (unshared != null) {
            unshared.close();
        }
        closeQuietly(entityChannel);
        LOG.log(System.Logger.Level.DEBUG, "Closed {0}", description);
    }

    /** What the receive thread does for this transport. */
    private final class Receiving implements ReceiveLoop.Member {

        @Override
        public DatagramChannel channel() {
            return entityChannel;
        }

        @Override
        public GroupSocket takeGroupSocket() {
            synchronized (lifecycle) {
                GroupSocket taken = groupSocket;
                groupSocket = null;
                return taken;
            }
        }

        @Override
        public void take(byte[] buffer, int length, InetSocketAddress sender) {
            if (closed) {
                return;
            }
            if (sender.getPort() == localPort && localAddress.equals(sender.getAddress())) {
                ownDropped++;
                return;
            }
            received++;
            try {
                receiver.receive(buffer, 0, length, sender);
            } catch (RuntimeException | Error e) {
                // An Error too: the thread is shared by every transport on the port, and this datagram is all it cost.
                receiverError(e);
            }
        }

        @Override
        public void receiveFailed(IOException e) {
            if (e instanceof ClosedChannelException) {
                if (!closed) {
                    LOG.log(System.Logger.Level.ERROR, "A socket of " + description + " was closed "
                            + "under its receive thread; it receives no more", e);
                }
                return;
            }
            long count = ++receiveFailures;
            long now = System.nanoTime();
            if (count == 1 || now - lastReceiveFailureLog > LOG_INTERVAL_NANOS) {
                lastReceiveFailureLog = now;
                LOG.log(System.Logger.Level.WARNING, "Receive on {0} failed: {1} ({2} so far)",
                        description, e.getMessage(), count);
            }
        }

        @Override
        public void idle() {
            if (closed) {
                return;
            }
            try {
                receiver.idle();
            } catch (RuntimeException | Error e) {
                receiverError(e);
            }
        }

        @Override
        public void release() {
            UdpTransport.this.release();
        }

        @Override
        public String describe() {
            return description;
        }
    }

    private void receiverError(Throwable e) {
        long count = ++receiverErrors;
        long now = System.nanoTime();
        if (count == 1 || now - lastReceiverErrorLog > LOG_INTERVAL_NANOS) {
            lastReceiverErrorLog = now;
            LOG.log(System.Logger.Level.WARNING, "Receiver of {0} threw {1} ({2} so far); reception goes on",
                    description, e.getClass().getName(), count);
        }
        LOG.log(System.Logger.Level.DEBUG, "Receiver exception", e);
    }

    private static String format(InetSocketAddress a) {
        InetAddress address = a.getAddress();
        String host = address == null ? a.getHostString() : address.getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.DEBUG, "Ignored on close", e);
            }
        }
    }

    @Override
    public String toString() {
        return "UdpTransport[" + description + "]";
    }
}
