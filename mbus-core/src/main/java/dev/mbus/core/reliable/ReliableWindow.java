package dev.mbus.core.reliable;

import dev.mbus.core.DeliveryException;
import dev.mbus.core.message.Address;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The sender's side of reliable delivery (protocol §6): the reliable messages in flight, their
 * retransmission schedule and their outcome. Unlike the reference implementation's
 * stop-and-wait, many messages are in flight at once, up to a limit that blocks senders when
 * reached.
 */
public final class ReliableWindow {

    /** A reliable message awaiting its acknowledgement. */
    public static final class Outstanding {
        private final long sequence;
        private final Address peer;
        private final byte[] datagram;
        private final CompletableFuture<Void> outcome;
        private final long firstSentNanos;
        private int retransmissions;
        private long nextDueNanos;

        Outstanding(long sequence, Address peer, byte[] datagram, CompletableFuture<Void> outcome, long nowNanos,
                long firstDelayNanos) {
            this.sequence = sequence;
            this.peer = peer;
            this.datagram = datagram;
            this.outcome = outcome;
            this.firstSentNanos = nowNanos;
            this.nextDueNanos = nowNanos + firstDelayNanos;
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
    private final Semaphore permits;
    private final long baseNanos;
    private final int maxRetransmissions;

    public ReliableWindow(int capacity, long retransmitBaseNanos, int maxRetransmissions) {
        if (capacity < 1) {
            throw new IllegalArgumentException("reliable window must hold at least one message: " + capacity);
        }
        this.permits = new Semaphore(capacity);
        this.baseNanos = retransmitBaseNanos;
        this.maxRetransmissions = maxRetransmissions;
    }

    /**
     * Waits for room in the window. Room always comes back within one reliable lifetime,
     * because every message in flight is acknowledged or fails by then.
     *
     * @param closed tells when to stop waiting
     * @return false when {@code closed} became true first
     */
    public boolean acquire(BooleanSupplier closed) throws InterruptedException {
        while (!permits.tryAcquire(10, TimeUnit.MILLISECONDS)) {
            if (closed.getAsBoolean()) {
                return false;
            }
        }
        return true;
    }

    /** Gives back room taken by {@link #acquire} for a message that was never registered. */
    public void release() {
        permits.release();
    }

    /** Records a message just sent for the first time; its room is given back on its outcome. */
    public void register(long sequence, Address peer, byte[] datagram, CompletableFuture<Void> outcome, long nowNanos) {
        inFlight.put(sequence, new Outstanding(sequence, peer, datagram, outcome, nowNanos, baseNanos));
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
        permits.release();
        message.outcome.complete(null);
        return true;
    }

    /**
     * Retransmits what is due and fails what has run out of retransmissions.
     *
     * @return how many messages failed
     */
    public int onTimer(long nowNanos, Retransmitter retransmitter) {
        int failed = 0;
        for (Iterator<Outstanding> it = inFlight.values().iterator(); it.hasNext(); ) {
            Outstanding message = it.next();
            if (nowNanos - message.nextDueNanos < 0) {
                continue;
            }
            if (message.retransmissions < maxRetransmissions) {
                message.retransmissions++;
                message.nextDueNanos = nowNanos + (message.retransmissions + 1) * baseNanos;
                retransmitter.retransmit(message);
            } else if (inFlight.remove(message.sequence, message)) {
                permits.release();
                failed++;
                long waitedMillis = (nowNanos - message.firstSentNanos) / 1_000_000;
                message.outcome.completeExceptionally(new DeliveryException(DeliveryException.Reason.NO_ACKNOWLEDGEMENT,
                        "no acknowledgement from " + message.peer + " for message " + message.sequence + " after "
                                + message.retransmissions + " retransmissions (" + waitedMillis + " ms)"));
            }
        }
        return failed;
    }

    /** Fails every message in flight, e.g. when the entity closes. */
    public void failAll(DeliveryException.Reason reason, String why) {
        for (Outstanding message : inFlight.values()) {
            if (inFlight.remove(message.sequence, message)) {
                permits.release();
                message.outcome.completeExceptionally(new DeliveryException(reason, why));
            }
        }
    }

    public int inFlight() {
        return inFlight.size();
    }
}
