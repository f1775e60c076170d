package dev.mbus.core.transport;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A deterministic bus for tests: datagrams wait in a queue until {@link #deliverAll()}, and each
 * copy to each receiver is lost with a seeded probability. No sockets, no threads, no timing.
 */
public final class MemoryNetwork {

    /** A datagram on the bus; {@code to} is null for one sent to the group. */
    public record Packet(byte[] data, InetSocketAddress from, InetSocketAddress to) {
    }

    private final Queue<Packet> queue = new ArrayDeque<>();
    private final List<MemoryTransport> members = new ArrayList<>();
    private final Random random;
    private double loss;
    private final java.util.Map<InetSocketAddress, Integer> dropNext = new java.util.HashMap<>();
    private Consumer<Packet> tap = packet -> { };
    private int nextPort = 20_000;
    private long sent;
    private long lost;

    public MemoryNetwork(long seed) {
        this.random = new Random(seed);
    }

    /** Loses each copy of each datagram with this probability, 0 to 1. */
    public MemoryNetwork loss(double probability) {
        this.loss = probability;
        return this;
    }

    /** Shows every datagram sent from now on to {@code tap}, before any loss. */
    public synchronized MemoryNetwork tap(Consumer<Packet> tap) {
        this.tap = tap;
        return this;
    }

    /** Loses the next {@code count} datagrams that {@code from} sends, for every receiver. */
    public synchronized void dropNextFrom(InetSocketAddress from, int count) {
        dropNext.merge(from, count, Integer::sum);
    }

    public synchronized MemoryTransport newTransport() {
        MemoryTransport transport = new MemoryTransport(new InetSocketAddress("127.0.0.1", nextPort++));
        members.add(transport);
        return transport;
    }

    /** Puts a datagram on the bus as if {@code from} had sent it to the group. */
    public synchronized void inject(byte[] datagram, InetSocketAddress from) {
        queue.add(new Packet(datagram.clone(), from, null));
    }

    /**
     * Delivers queued datagrams, and those their delivery causes, until the bus is quiet.
     *
     * @return how many copies were delivered
     */
    public int deliverAll() {
        int delivered = 0;
        for (int round = 0; round < 10_000; round++) {
            List<Packet> batch;
            synchronized (this) {
                if (queue.isEmpty()) {
                    return delivered;
                }
                batch = new ArrayList<>(queue);
                queue.clear();
            }
            List<MemoryTransport> receivers = new ArrayList<>();
            for (Packet packet : batch) {
                for (MemoryTransport member : snapshot()) {
                    DatagramReceiver receiver = member.receiver;
                    if (receiver == null || member.endpoint.equals(packet.from)
                            || (packet.to != null && !packet.to.equals(member.endpoint))) {
                        continue;
                    }
                    if (loss > 0 && random.nextDouble() < loss) {
                        lost++;
                        continue;
                    }
                    receiver.receive(packet.data, 0, packet.data.length, packet.from);
                    delivered++;
                    if (!receivers.contains(member)) {
                        receivers.add(member);
                    }
                }
            }
            for (MemoryTransport member : receivers) {
                DatagramReceiver receiver = member.receiver;
                if (receiver != null) {
                    receiver.idle();
                }
            }
        }
        throw new IllegalStateException("the bus did not go quiet after 10,000 rounds");
    }

    /** Datagrams sent by all members so far. */
    public synchronized long sent() {
        return sent;
    }

    /** Copies lost to the injected loss so far. */
    public synchronized long lost() {
        return lost;
    }

    private synchronized List<MemoryTransport> snapshot() {
        return List.copyOf(members);
    }

    private synchronized void enqueue(byte[] data, int offset, int length, InetSocketAddress from, InetSocketAddress to) {
        sent++;
        Packet packet = new Packet(Arrays.copyOfRange(data, offset, offset + length), from, to);
        tap.accept(packet);
        Integer dropping = dropNext.get(from);
        if (dropping != null) {
            lost++;
            if (dropping == 1) {
                dropNext.remove(from);
            } else {
                dropNext.put(from, dropping - 1);
            }
            return;
        }
        queue.add(packet);
    }

    /** One member of the network. */
    public final class MemoryTransport implements Transport {
        private final InetSocketAddress endpoint;
        private volatile DatagramReceiver receiver;
        private volatile boolean closed;

        private MemoryTransport(InetSocketAddress endpoint) {
            this.endpoint = endpoint;
        }

        @Override
        public void start(DatagramReceiver receiver) {
            this.receiver = receiver;
        }

        @Override
        public void sendToGroup(byte[] datagram, int offset, int length) {
            if (!closed) {
                enqueue(datagram, offset, length, endpoint, null);
            }
        }

        @Override
        public void sendTo(InetSocketAddress to, byte[] datagram, int offset, int length) {
            if (!closed) {
                enqueue(datagram, offset, length, endpoint, to);
            }
        }

        @Override
        public InetSocketAddress localEndpoint() {
            return endpoint;
        }

        @Override
        public String describe() {
            return "memory network, endpoint " + endpoint;
        }

        public boolean isClosed() {
            return closed;
        }

        /** Stops this member's traffic both ways; called directly, it is a process dying without a word. */
        @Override
        public void close() {
            closed = true;
            receiver = null;
        }
    }
}
