package dev.mbus.core.sim;

import dev.mbus.core.engine.ManualClock;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A datagram network in virtual time. Every copy of a datagram to each receiver waits in one
 * queue ordered by due time, ties broken by the order copies were queued, so that a seed always
 * gives the same run. All faults come from one seeded {@link Random}: loss, duplication and delay
 * per copy when it is sent, and replay of a datagram seen seconds earlier.
 */
final class SimNetwork {

    /** A datagram as sent: {@code to} is null for one sent to the group. */
    record Datagram(byte[] data, InetSocketAddress from, InetSocketAddress to, long sentAtNanos) {
    }

    private record Copy(long dueNanos, long order, Datagram datagram, SimTransport receiver) {
    }

    private static final int RESERVOIR_SIZE = 256;
    /** A replayed datagram is at least this old: a replay long after, not a late duplicate. */
    private static final long REPLAY_MIN_AGE_NANOS = 1_000_000_000L;
    /** Chance per simulated millisecond that a replay happens: about ten a second. */
    private static final double REPLAY_CHANCE_PER_MILLI = 0.01;
    private static final long MILLI = 1_000_000L;
    /** Rounds of deliveries at one instant before the network gives up: datagrams that cause datagrams without end. */
    private static final int MAX_ROUNDS_PER_INSTANT = 100_000;

    private final ManualClock clock;
    private final Random random;
    private final PriorityQueue<Copy> queue = new PriorityQueue<>(
            Comparator.comparingLong(Copy::dueNanos).thenComparingLong(Copy::order));
    private final List<SimTransport> members = new ArrayList<>();
    private final List<Datagram> reservoir = new ArrayList<>();
    private NetworkFaults faults = NetworkFaults.NONE;
    private Consumer<Datagram> tap = datagram -> { };
    private BiConsumer<InetSocketAddress, RuntimeException> receiveFailures = (endpoint, failure) -> { };
    private BiConsumer<Datagram, InetSocketAddress> deliveries = (datagram, to) -> { };
    private Datagram delivering;
    private long order;
    private long seen;
    private int nextPort = 30_000;
    private long lost;
    private long duplicated;
    private long replayed;

    SimNetwork(ManualClock clock, long seed) {
        this.clock = clock;
        this.random = new Random(seed);
    }

    void faults(NetworkFaults newFaults) {
        this.faults = newFaults;
    }

    NetworkFaults faults() {
        return faults;
    }

    /** Shows every datagram to {@code newTap} as it is sent, before any fault. */
    void tap(Consumer<Datagram> newTap) {
        this.tap = newTap;
    }

    /** Told of every exception a receiver throws; the network, like a socket's receive loop, goes on. */
    /** Tells {@code listener} of every copy just before it is handed to its receiver, with the receiver's endpoint. */
    void onDeliver(BiConsumer<Datagram, InetSocketAddress> listener) {
        this.deliveries = listener;
    }

    void onReceiveFailure(BiConsumer<InetSocketAddress, RuntimeException> listener) {
        this.receiveFailures = listener;
    }

    /** A new member with an endpoint of its own. */
    SimTransport newTransport() {
        SimTransport transport = new SimTransport(this, new InetSocketAddress("127.0.0.1", nextPort++));
        members.add(transport);
        return transport;
    }

    /** The datagram being handed to a receiver now, or null outside a delivery. */
    Datagram delivering() {
        return delivering;
    }

    /** Puts {@code datagram} on the wire again, now, for every live member but the one it came from. */
    void inject(Datagram datagram) {
        for (SimTransport member : members) {
            if (member.isLive() && !member.localEndpoint().equals(datagram.from())) {
                queue.add(new Copy(clock.nanoTime(), order++, datagram, member));
            }
        }
    }

    void send(SimTransport sender, byte[] data, int offset, int length, InetSocketAddress to) {
        Datagram datagram = new Datagram(Arrays.copyOfRange(data, offset, offset + length), sender.localEndpoint(), to,
                clock.nanoTime());
        tap.accept(datagram);
        keepForReplay(datagram);
        for (SimTransport member : members) {
            if (member != sender && member.isLive() && (to == null || to.equals(member.localEndpoint()))) {
                sendCopies(datagram, member);
            }
        }
    }

    private void sendCopies(Datagram datagram, SimTransport receiver) {
        if (random.nextDouble() < faults.loss()) {
            lost++;
            return;
        }
        int copies = random.nextDouble() < faults.duplication() ? 2 : 1;
        duplicated += copies - 1;
        for (int i = 0; i < copies; i++) {
            long delay = random.nextInt(faults.maxDelayMillis() + 1) * MILLI;
            queue.add(new Copy(datagram.sentAtNanos() + delay, order++, datagram, receiver));
        }
    }

    /** Reservoir sampling: every datagram sent so far is equally likely to be among those kept. */
    private void keepForReplay(Datagram datagram) {
        seen++;
        if (reservoir.size() < RESERVOIR_SIZE) {
            reservoir.add(datagram);
        } else {
            long slot = (long) (random.nextDouble() * seen);
            if (slot < RESERVOIR_SIZE) {
                reservoir.set((int) slot, datagram);
            }
        }
    }

    /**
     * Delivers every copy due by now, in rounds: after each round, every member that received
     * something is told it is idle, and what that and the deliveries sent at no delay goes in
     * the next round.
     */
    void deliverDue() {
        long now = clock.nanoTime();
        maybeReplay(now);
        for (int round = 0; hasDue(now); round++) {
            if (round == MAX_ROUNDS_PER_INSTANT) {
                throw new IllegalStateException("the network did not go quiet at one instant");
            }
            List<Copy> batch = new ArrayList<>();
            while (hasDue(now)) {
                batch.add(queue.poll());
            }
            Set<SimTransport> received = new LinkedHashSet<>();
            for (Copy copy : batch) {
                if (deliver(copy)) {
                    received.add(copy.receiver);
                }
            }
            for (SimTransport member : received) {
                if (member.isLive()) {
                    member.receiver().idle();
                }
            }
        }
    }

    private boolean hasDue(long now) {
        return !queue.isEmpty() && queue.peek().dueNanos - now <= 0;
    }

    private boolean deliver(Copy copy) {
        if (!copy.receiver.isLive()) {
            return false;
        }
        byte[] data = copy.datagram.data();
        deliveries.accept(copy.datagram, copy.receiver.localEndpoint());
        delivering = copy.datagram;
        try {
            copy.receiver.receiver().receive(data.clone(), 0, data.length, copy.datagram.from());
        } catch (RuntimeException e) {
            receiveFailures.accept(copy.receiver.localEndpoint(), e);
        } finally {
            delivering = null;
        }
        return true;
    }

    private void maybeReplay(long now) {
        if (!faults.replay() || reservoir.isEmpty() || random.nextDouble() >= REPLAY_CHANCE_PER_MILLI) {
            return;
        }
        Datagram old = reservoir.get(random.nextInt(reservoir.size()));
        if (now - old.sentAtNanos() >= REPLAY_MIN_AGE_NANOS) {
            replayed++;
            inject(old);
        }
    }

    @Override
    public String toString() {
        return "network: " + seen + " datagrams sent, " + lost + " copies lost, " + duplicated + " duplicated, "
                + replayed + " replayed";
    }
}
