package dev.mbus.core.transport;

import dev.mbus.core.InvalidDatagramException;
import dev.mbus.core.codec.DatagramCodec;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.Message;
import dev.mbus.core.security.MbusKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A sender as the UCL tools are one: a plain socket that sends numbered reliable messages to an
 * address one at a time, each repeated until acknowledged, from the moment it starts, without
 * waiting to hear its destination. Started beside an entity that is still starting, it shows
 * whether that entity acknowledges anything before its handlers are in place.
 *
 * <p>Acknowledgements are read both from the socket it sends from (unicast) and from the group.
 * Every send goes to the group on loopback with TTL 0. Stops by itself after its messages, or
 * after {@code limit}, or when closed.
 */
public final class StopAndWaitSender implements AutoCloseable {

    /** How long it waits for an acknowledgement before it sends the same datagram again. */
    private static final Duration REPEAT = Duration.ofMillis(5);

    private final DatagramCodec codec;
    private final Address source;
    private final Address destination;
    private final String command;
    private final int count;
    private final long limitNanos;
    private final InetSocketAddress group;
    private final DatagramChannel out;
    private final DatagramChannel in;
    private final Selector selector;
    private final List<Long> acknowledged = new CopyOnWriteArrayList<>();
    private final Thread thread;

    /**
     * Sends {@code command (n)} reliably for n = 1..count to {@code destination}, from
     * {@code source}, on the loopback bus of {@code port}.
     */
    public StopAndWaitSender(MbusKeys keys, int port, String source, String destination, String command, int count,
            Duration limit) {
        this.codec = new DatagramCodec(keys);
        this.source = Address.parse(source);
        this.destination = Address.parse(destination);
        this.command = command;
        this.count = count;
        this.limitNanos = limit.toNanos();
        TransportSettings settings = LoopbackSupport.loopback(port);
        InetAddress groupAddress = settings.groupAddress();
        this.group = new InetSocketAddress(groupAddress, port);
        try {
            NetworkInterfaces.Resolved loopback = NetworkInterfaces.resolve("lo", false);
            out = DatagramChannel.open(StandardProtocolFamily.INET);
            out.setOption(StandardSocketOptions.IP_MULTICAST_IF, loopback.networkInterface());
            out.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 0);
            out.bind(new InetSocketAddress(loopback.address(), 0));
            in = DatagramChannel.open(StandardProtocolFamily.INET);
            in.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            in.bind(group);
            in.join(groupAddress, loopback.networkInterface());
            selector = Selector.open();
            for (DatagramChannel channel : List.of(out, in)) {
                channel.configureBlocking(false);
                channel.register(selector, SelectionKey.OP_READ);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread = new Thread(this::run, "stop-and-wait-sender");
        thread.setDaemon(true);
        thread.start();
    }

    /** The numbers acknowledged so far, in order. */
    public List<Long> acknowledged() {
        return List.copyOf(acknowledged);
    }

    /** Waits until every message was acknowledged or the sender gave up; returns how many were. */
    public int awaitEnd(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
        return acknowledged.size();
    }

    private void run() {
        long deadline = System.nanoTime() + limitNanos;
        ByteBuffer buffer = ByteBuffer.allocate(65_536);
        try {
            for (long sequence = 1; sequence <= count && going(deadline); sequence++) {
                byte[] datagram = codec.encode(new Message(sequence, System.currentTimeMillis(), true, source,
                        destination, List.of(), List.of(Command.of(command, sequence))));
                while (!acknowledged.contains(sequence) && going(deadline)) {
                    out.send(ByteBuffer.wrap(datagram), group); // the same datagram each time, as a retransmission is
                    readAcknowledgements(buffer, System.nanoTime() + REPEAT.toNanos());
                }
            }
        } catch (IOException | RuntimeException e) {
            // Closed, or the bus went away: the test sees what was acknowledged.
        }
    }

    private static boolean going(long deadline) {
        return System.nanoTime() - deadline < 0 && !Thread.currentThread().isInterrupted();
    }

    private void readAcknowledgements(ByteBuffer buffer, long until) throws IOException {
        for (long left = until - System.nanoTime(); left > 0 && going(until); left = until - System.nanoTime()) {
            if (selector.select(Math.max(1, left / 1_000_000)) == 0) {
                continue;
            }
            selector.selectedKeys().clear();
            for (DatagramChannel channel : List.of(out, in)) {
                for (buffer.clear(); channel.receive(buffer) != null; buffer.clear()) {
                    buffer.flip();
                    take(buffer);
                }
            }
        }
    }

    private void take(ByteBuffer datagram) {
        Message message;
        try {
            message = codec.decode(datagram.array(), 0, datagram.limit());
        } catch (InvalidDatagramException e) {
            return;
        }
        if (!message.destination().matches(source)) {
            return;
        }
        for (long ack : message.acks()) {
            if (!acknowledged.contains(ack)) {
                acknowledged.add(ack);
            }
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        thread.interrupt();
        thread.join(1_000);
        selector.close();
        out.close();
        in.close();
    }
}
