package dev.mbus.core.reliable;

import dev.mbus.core.DeliveryException;
import dev.mbus.core.message.Address;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The sender's side of reliable delivery (protocol §6): the reliable messages in flight, their
 * retransmission schedule and their outcome. Unlike the reference implementation's
 * stop-and-wait, many messages are in flight at once, up to limits that block senders when
 * reached: a number of messages, and bytes of their datagrams (a soft limit: room is given while
 * fewer bytes are in flight, so the last message may pass it), since what a receiver holds for
 * its sender grows with the bytes; but to the peers that cannot take a window (the UCL tools, see
 * {@link dev.mbus.core.awareness.PeerKind#takesWindow()}) only one at a time, whichever of them it
 * is for: such a peer may also act on a message meant for another (it matches addresses by
 * substring), and must never see a retransmission after a later message of ours.
 *
 * <p>The schedule is fixed at the first send: the k-th retransmission is due k x T_r after the
 * previous one was due (T_r, 3 T_r, 6 T_r, ... after the first send), and failure (N_r + 1) x T_r
 * after the last one was due, so a timer that runs late sends late but does not push the rest
 * of the schedule back. A retransmission missed that way goes out at the next timer run, one per
 * run, as long as the message has not reached its failure time.
 */
public final class ReliableWindow {

    /** A reliable message awaiting its acknowledgement. */
    public static final class Outstanding {
        private final long sequence;
        private final Address peer;
        private final byte[] datagram;
        private final CompletableFuture<Void> outcome;
        private final boolean alone;
        private final long firstSentNanos;
        private final long failsAtNanos;
        private int retransmissions;
        /** When the next retransmission is due. */
        private long nextDueNanos;

        Outstanding(long sequence, Address peer, byte[] datagram, CompletableFuture<Void> outcome, boolean alone,
                long nowNanos, long baseNanos, long lifetimeNanos) {
            this.sequence = sequence;
            this.peer = peer;
            this.datagram = datagram;
            this.outcome = outcome;
            this.alone = alone;
            this.firstSentNanos = nowNanos;
            this.failsAtNanos = nowNanos + lifetimeNanos;
            this.nextDueNanos = nowNanos + baseNanos;
        }

        public long sequence() {
            return sequence;
        }

        /** The address of the one entity that must acknowledge it. */
        public Address peer() {
            return peer;
        }

        /** The datagram exactly as first sent: same sequence number, same timestamp. */
        public byte[] datagram() {
            return datagram;
        }
    }

    /** Sends a retransmission. */
    @FunctionalInterface
    public interface Retransmitter {
        void retransmit(Outstanding message);
    }

    private final Map<Long, Outstanding> inFlight = new ConcurrentHashMap<>();
    private final int capacity;
    private final long byteCapacity;
    private final long baseNanos;
    private final int maxRetransmissions;
    private final long lifetimeNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition roomFreed = lock.newCondition();
    private final Condition emptied = lock.newCondition();
    /** Room taken: messages in flight and room acquired for a message not yet registered. Guarded by {@link #lock}. */
    private int taken;
    /** Bytes of the datagrams in flight. Guarded by {@link #lock}. */
    private long bytesTaken;
    /** Whether room for the one message to stop-and-wait peers is taken. Guarded by {@link #lock}. */
    private boolean aloneTaken;
    /** Guarded by {@link #lock}. */
    private boolean closed;

    /** @param byteCapacity room is given while fewer bytes of datagrams than this are in flight */
    public ReliableWindow(int capacity, long byteCapacity, long retransmitBaseNanos, int maxRetransmissions) {
        if (capacity < 1 || byteCapacity < 1) {
            throw new IllegalArgumentException("reliable window must hold at least one message: " + capacity
                    + " messages, " + byteCapacity + " bytes");
        }
        this.capacity = capacity;
        this.byteCapacity = byteCapacity;
        this.baseNanos = retransmitBaseNanos;
        this.maxRetransmissions = maxRetransmissions;
        long n = maxRetransmissions;
        this.lifetimeNanos = (n * (n + 1) / 2 + n + 1) * retransmitBaseNanos;
    }

    /**
     * Waits for room in the window, woken when room is given back or the window closes. Room
     * always comes back within one reliable lifetime, because every message in flight is
     * acknowledged or fails by then.
     *
     * @param alone for a peer that takes one message at a time: wait also until none to such a peer is in flight
     * @return false when the window is closed, at once if it already is
     */
    public boolean acquire(boolean alone) throws InterruptedException {
        lock.lock();
        try {
            while (!closed) {
                if (takeRoom(alone)) {
                    return true;
                }
                roomFreed.await();
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes room if there is some now, without waiting: for callers on a thread that must not
     * block, such as the one that reads acknowledgements.
     *
     * @param alone as for {@link #acquire}
     * @return false when the window is full or closed, or {@code alone} and one such message is in flight
     */
    public boolean tryAcquire(boolean alone) {
        lock.lock();
        try {
            return !closed && takeRoom(alone);
        } finally {
            lock.unlock();
        }
    }

    /** Under {@link #lock}. */
    private boolean takeRoom(boolean alone) {
        if (taken >= capacity || bytesTaken >= byteCapacity || (alone && aloneTaken)) {
            return false;
        }
        taken++;
        aloneTaken |= alone;
        return true;
    }

    /** Gives back room taken by {@link #acquire} for a message that was never registered; {@code alone} as taken. */
    public void release(boolean alone) {
        release(alone, 0);
    }

    private void release(boolean alone, int bytes) {
        lock.lock();
        try {
            taken--;
            bytesTaken -= bytes;
            if (alone) {
                aloneTaken = false;
            }
            // All: a waiter that wakes and gives up (closed, told to stop) must not swallow the room.
            roomFreed.signalAll();
            if (taken == 0) {
                emptied.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Gives no more room: whoever waits in {@link #acquire} gets false now, and so does every
     * later call. The messages in flight stay until acknowledged, failed or {@link #failAll}.
     */
    public void close() {
        lock.lock();
        try {
            closed = true;
            roomFreed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until no room is taken (nothing in flight, nothing acquired and not yet registered),
     * or until {@code deadlineNanos} on the {@link System#nanoTime()} scale; woken when the last
     * room is given back, never by polling.
     *
     * @return whether the window emptied in time
     */
    public boolean awaitEmpty(long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (taken > 0) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                emptied.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Records a message just sent for the first time; its room is given back on its outcome.
     *
     * @param alone as when its room was acquired
     */
    public void register(long sequence, Address peer, byte[] datagram, CompletableFuture<Void> outcome, boolean alone,
            long nowNanos) {
        lock.lock();
        try {
            bytesTaken += datagram.length;
        } finally {
            lock.unlock();
        }
        inFlight.put(sequence, new Outstanding(sequence, peer, datagram, outcome, alone, nowNanos, baseNanos,
                lifetimeNanos));
    }

    /**
     * Applies an acknowledgement of {@code sequence} sent by {@code from}; only the entity the
     * message was sent to can acknowledge it.
     *
     * @return whether a message in flight was completed
     */
    public boolean acknowledge(long sequence, Address from) {
        Outstanding message = inFlight.get(sequence);
        if (message == null || !message.peer.equals(from) || !inFlight.remove(sequence, message)) {
            return false;
        }
        release(message.alone, message.datagram.length);
        message.outcome.complete(null);
        return true;
    }

    /**
     * Retransmits what is due and fails what has run out of retransmissions.
     *
     * @return how many messages failed
     */
    public int onTimer(long nowNanos, Retransmitter retransmitter) {
        if (inFlight.isEmpty()) {
            return 0;
        }
        int failed = 0;
        List<Outstanding> due = new ArrayList<>();
        for (Outstanding message : inFlight.values()) {
            if (nowNanos - message.failsAtNanos >= 0) {
                if (inFlight.remove(message.sequence, message)) {
                    release(message.alone, message.datagram.length);
                    failed++;
                    long waitedMillis = (nowNanos - message.firstSentNanos) / 1_000_000;
                    message.outcome.completeExceptionally(new DeliveryException(
                            DeliveryException.Reason.NO_ACKNOWLEDGEMENT, "no acknowledgement from " + message.peer
                                    + " for message " + message.sequence + " after " + message.retransmissions
                                    + " retransmissions (" + waitedMillis + " ms)"));
                }
            } else if (message.retransmissions < maxRetransmissions && nowNanos - message.nextDueNanos >= 0) {
                message.retransmissions++;
                message.nextDueNanos += (message.retransmissions + 1) * baseNanos;
                due.add(message);
            }
        }
        // In the order first sent, so that a receiver's gaps fill first to last.
        due.sort(Comparator.<Outstanding>comparingLong(message -> message.firstSentNanos)
                .thenComparingLong(message -> message.sequence));
        due.forEach(retransmitter::retransmit);
        return failed;
    }


    /** Fails every message in flight, e.g. when the entity closes. */
    public void failAll(DeliveryException.Reason reason, String why) {
        for (Outstanding message : inFlight.values()) {
            if (inFlight.remove(message.sequence, message)) {
                release(message.alone, message.datagram.length);
                message.outcome.completeExceptionally(new DeliveryException(reason, why));
            }
        }
    }

    /** How long after its first send a message fails when no acknowledgement came: (N_r + 1) x T_r after the last retransmission was due. */
    public long lifetimeNanos() {
        return lifetimeNanos;
    }

    public int inFlight() {
        return inFlight.size();
    }
}
