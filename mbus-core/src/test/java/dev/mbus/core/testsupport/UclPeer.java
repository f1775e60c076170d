package dev.mbus.core.testsupport;

import dev.mbus.core.MbusException;
import dev.mbus.core.codec.MessageCodec;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.DataValue;
import dev.mbus.core.message.FloatValue;
import dev.mbus.core.message.IntegerValue;
import dev.mbus.core.message.ListValue;
import dev.mbus.core.message.MbusValue;
import dev.mbus.core.message.Message;
import dev.mbus.core.message.StringValue;
import dev.mbus.core.message.SymbolValue;
import dev.mbus.core.security.DatagramSecurity;
import dev.mbus.core.security.MbusKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * An entity that behaves on the wire as the UCL common library does (RAT, vic, sdr), written
 * from the observed facts in the project's protocol notes, for interoperability tests on
 * loopback:
 * <ul>
 * <li>one socket, bound to the wildcard address and the bus port with {@code SO_REUSEADDR} and
 * {@code SO_REUSEPORT}, joined to the group on {@code lo}, TTL 0; it sends from it too, so every
 * such peer of the host has the same source endpoint, {@code 127.0.0.1:<bus port>};</li>
 * <li>a 1,500-byte receive buffer: the kernel cuts a longer datagram, whose digest then fails;</li>
 * <li>sequence numbers and ack lists padded to width 6, wrapping from 999999 to 0; strings with
 * spaces escaped as {@code \ }; everything to the group;</li>
 * <li>destinations matched by substring: each element of the destination must occur somewhere
 * in this peer's address text;</li>
 * <li>reliable messages addressed to it acknowledged at once in a bare {@code U} message;
 * duplicates told only by the last reliable sequence number of each sender, so an older
 * retransmission that arrives after a newer message is handled a second time;</li>
 * <li>one reliable message of its own in flight at a time, retransmitted 1, 500, 750, 1500 and
 * 3000 ms after its first send, failed after 5 s;</li>
 * <li>commands handled on its receive thread, one message at a time ({@link #handlerDelay}
 * makes it fall behind), {@code mbus.quit} among them; hello at start and every second.</li>
 * </ul>
 * Digests and ciphers are the project's own {@link DatagramSecurity}; the text it writes is its
 * own, and it reads with the project's {@link MessageCodec}.
 */
public final class UclPeer implements AutoCloseable {

    /** What the application of this peer was handed. */
    public record Handled(Address source, long sequence, Command command) {
    }

    static final int RECEIVE_BUFFER_BYTES = 1500;
    static final long MAX_SEQUENCE = 999_999;
    private static final long[] RETRANSMIT_AFTER_MILLIS = {1, 500, 750, 1500, 3000};
    private static final long FAIL_AFTER_MILLIS = 5000;
    private static final long HELLO_EVERY_MILLIS = 1000;

    private final Address address;
    private final String addressText;
    private final DatagramSecurity security;
    private final MessageCodec codec = new MessageCodec();
    private final DatagramChannel channel;
    private final InetSocketAddress group;
    private final Thread receiver;
    private final ScheduledExecutorService timers;
    private final List<Handled> handled = new ArrayList<>();
    private final Map<Address, Long> lastReliable = new HashMap<>();
    private final Queue<Outgoing> reliableQueue = new ArrayDeque<>();
    private volatile Duration handlerDelay = Duration.ZERO;
    private volatile boolean closed;
    private long nextSequence = 1;
    private long dropped;
    private long acksSent;
    private long retransmissions;
    private Outgoing inFlight;

    private static final class Outgoing {
        final Address destination;
        final List<Command> commands;
        final CompletableFuture<Void> outcome = new CompletableFuture<>();
        final List<ScheduledFuture<?>> timers = new ArrayList<>();
        long sequence;
        byte[] datagram;

        Outgoing(Address destination, List<Command> commands) {
            this.destination = destination;
            this.commands = commands;
        }
    }

    private UclPeer(Address address, MbusKeys keys, String groupAddress, int port) throws IOException {
        this.address = address;
        this.addressText = String.join(" ", address.elements());
        this.security = new DatagramSecurity(keys);
        NetworkInterface lo = NetworkInterface.getByName("lo");
        InetAddress groupIp = InetAddress.getByName(groupAddress);
        this.group = new InetSocketAddress(groupIp, port);
        this.channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        channel.bind(new InetSocketAddress(port));
        channel.join(groupIp, lo);
        channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, lo);
        channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 0);
        channel.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
        this.timers = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ucl-peer-timer-" + port);
            thread.setDaemon(true);
            return thread;
        });
        this.receiver = new Thread(this::receiveLoop, "ucl-peer-receive-" + port);
        receiver.setDaemon(true);
    }

    /** Binds the bus port on loopback, starts receiving and says hello (now and every second). */
    public static UclPeer start(Address address, MbusKeys keys, String groupAddress, int port) {
        try {
            UclPeer peer = new UclPeer(address, keys, groupAddress, port);
            peer.receiver.start();
            peer.timers.scheduleAtFixedRate(peer::hello, 0, HELLO_EVERY_MILLIS, TimeUnit.MILLISECONDS);
            return peer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Address address() {
        return address;
    }

    /** The number its next message gets, e.g. close to the wrap at 999999. */
    public synchronized UclPeer numberFrom(long sequence) {
        nextSequence = sequence;
        return this;
    }

    /** How long handling one message takes: more than nothing makes this peer fall behind. */
    public UclPeer handlerDelay(Duration delay) {
        this.handlerDelay = delay;
        return this;
    }

    /** Sends the commands in one unreliable message, to the group. */
    public void send(Address destination, Command... commands) {
        synchronized (this) {
            transmit(compose(false, destination, List.of(), List.of(commands)));
        }
    }

    /** Queues the commands as one reliable message; it goes when the one in flight is acknowledged or failed. */
    public CompletableFuture<Void> sendReliable(Address destination, Command... commands) {
        Outgoing message = new Outgoing(destination, List.of(commands));
        synchronized (this) {
            reliableQueue.add(message);
            sendNextReliable();
        }
        return message.outcome;
    }

    /** Everything handed to this peer's application so far, in order. */
    public synchronized List<Handled> handled() {
        return List.copyOf(handled);
    }

    /** How many times {@code command} was handed to the application. */
    public synchronized int handledCount(String command) {
        int count = 0;
        for (Handled call : handled) {
            if (call.command().name().equals(command)) {
                count++;
            }
        }
        return count;
    }

    /** Datagrams dropped: failed digest (a cut datagram among them) or not parsed. */
    public synchronized long dropped() {
        return dropped;
    }

    public synchronized long acksSent() {
        return acksSent;
    }

    public synchronized long retransmissions() {
        return retransmissions;
    }

    /**
     * Waits until the calls handed to the application satisfy {@code condition}, or
     * {@code timeout} passes; returns whether they did.
     */
    public boolean await(Predicate<List<Handled>> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (!condition.test(handled)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }
    }

    /** Waits until {@code command} was handed to the application {@code count} times. */
    public boolean awaitCount(String command, int count, Duration timeout) throws InterruptedException {
        return await(calls -> calls.stream().filter(call -> call.command().name().equals(command)).count() >= count,
                timeout);
    }

    /** Says bye, stops its threads and releases the socket. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        synchronized (this) {
            transmit(compose(false, Address.BROADCAST, List.of(), List.of(new Command("mbus.bye", List.of()))));
            closed = true;
        }
        timers.shutdownNow();
        try {
            channel.close();
            receiver.join(5000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void hello() {
        synchronized (this) {
            if (!closed) {
                transmit(compose(false, Address.BROADCAST, List.of(), List.of(new Command("mbus.hello", List.of()))));
            }
        }
    }

    /** Under this object's lock. */
    private void sendNextReliable() {
        if (inFlight != null || reliableQueue.isEmpty() || closed) {
            return;
        }
        Outgoing message = reliableQueue.poll();
        inFlight = message;
        message.datagram = compose(true, message.destination, List.of(), message.commands);
        message.sequence = sequenceOf(message.datagram);
        transmit(message.datagram);
        for (long after : RETRANSMIT_AFTER_MILLIS) {
            message.timers.add(timers.schedule(() -> retransmit(message), after, TimeUnit.MILLISECONDS));
        }
        message.timers.add(timers.schedule(() -> fail(message), FAIL_AFTER_MILLIS, TimeUnit.MILLISECONDS));
    }

    private long sequenceOf(byte[] datagram) {
        return codec.decode(security.open(datagram)).sequence();
    }

    private synchronized void retransmit(Outgoing message) {
        if (inFlight == message && !closed) {
            retransmissions++;
            transmit(message.datagram);
        }
    }

    private synchronized void fail(Outgoing message) {
        if (inFlight == message) {
            inFlight = null;
            message.outcome.completeExceptionally(new TimeoutException("no acknowledgement for " + message.sequence));
            sendNextReliable();
        }
    }

    /** Under this object's lock. */
    private void acknowledged(long sequence) {
        Outgoing message = inFlight;
        if (message != null && message.sequence == sequence) {
            inFlight = null;
            message.timers.forEach(timer -> timer.cancel(false));
            message.outcome.complete(null);
            sendNextReliable();
        }
    }

    private void receiveLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(RECEIVE_BUFFER_BYTES);
        while (!closed) {
            buffer.clear();
            try {
                channel.receive(buffer);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            buffer.flip();
            byte[] datagram = new byte[buffer.remaining()];
            buffer.get(datagram);
            take(datagram);
        }
    }

    private void take(byte[] datagram) {
        Message message;
        try {
            message = codec.decode(security.open(datagram));
        } catch (MbusException | IllegalArgumentException e) {
            synchronized (this) {
                dropped++;
            }
            return;
        }
        if (message.source().equals(address) || !addressedToMe(message.destination())) {
            return;
        }
        boolean handle;
        synchronized (this) {
            for (long acked : message.acks()) {
                acknowledged(acked);
            }
            handle = !message.commands().isEmpty();
            if (message.reliable()) {
                transmit(compose(false, message.source(), List.of(message.sequence()), List.of()));
                acksSent++;
                Long last = lastReliable.put(message.source(), message.sequence());
                handle &= last == null || last != message.sequence();
            }
        }
        if (!handle) {
            return;
        }
        if (!handlerDelay.isZero()) {
            try {
                Thread.sleep(handlerDelay.toMillis(), handlerDelay.toNanosPart() % 1_000_000);
            } catch (InterruptedException e) {
                return;
            }
        }
        synchronized (this) {
            for (Command command : message.commands()) {
                handled.add(new Handled(message.source(), message.sequence(), command));
            }
            notifyAll();
        }
    }

    /** Substring matching: each element of the destination occurs somewhere in this peer's address text. */
    private boolean addressedToMe(Address destination) {
        for (String element : destination.elements()) {
            if (!addressText.contains(element)) {
                return false;
            }
        }
        return true;
    }

    /** Numbers, writes and seals one message; under this object's lock. */
    private byte[] compose(boolean reliable, Address destination, List<Long> acks, List<Command> commands) {
        long sequence = nextSequence;
        nextSequence = sequence == MAX_SEQUENCE ? 0 : sequence + 1;
        StringBuilder text = new StringBuilder(256);
        text.append("mbus/1.0 ").append(padded(sequence)).append(' ').append(System.currentTimeMillis())
                .append(' ').append(reliable ? 'R' : 'U').append(' ').append(address).append(' ')
                .append(destination).append(" (");
        for (int i = 0; i < acks.size(); i++) {
            text.append(i == 0 ? "" : " ").append(padded(acks.get(i)));
        }
        text.append(")\n");
        for (Command command : commands) {
            text.append(command.name()).append(" (");
            writeValues(text, command.args());
            text.append(")\n");
        }
        return security.seal(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String padded(long number) {
        return String.format("%6d", number);
    }

    private static void writeValues(StringBuilder text, List<MbusValue> values) {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                text.append(' ');
            }
            writeValue(text, values.get(i));
        }
    }

    private static void writeValue(StringBuilder text, MbusValue value) {
        if (value instanceof StringValue string) {
            text.append('"');
            for (char c : string.value().toCharArray()) {
                if (c == ' ' || c == '"') {
                    text.append('\\');
                }
                text.append(c);
            }
            text.append('"');
        } else if (value instanceof ListValue list) {
            text.append('(');
            writeValues(text, list.elements());
            text.append(')');
        } else if (value instanceof IntegerValue integer) {
            text.append(integer.value());
        } else if (value instanceof FloatValue real) {
            text.append(real.value());
        } else if (value instanceof SymbolValue symbol) {
            text.append(symbol.name());
        } else if (value instanceof DataValue data) {
            text.append('<').append(Base64.getEncoder().encodeToString(data.bytes())).append('>');
        }
    }

    /** To the group, from the shared bus-port socket; under this object's lock. */
    private void transmit(byte[] datagram) {
        if (closed) {
            return;
        }
        try {
            channel.send(ByteBuffer.wrap(datagram), group);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
