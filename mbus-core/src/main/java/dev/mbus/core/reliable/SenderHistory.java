package dev.mbus.core.reliable;

import dev.mbus.core.message.Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What this entity remembers of every entity it hears from: which of its messages were heard
 * (a {@link ReceiveSequencer}) and its last bye. A sender is remembered for {@code retention}
 * after it was last heard, whether it is still a peer or left: longer than a message stays fresh,
 * so that a replay of anything it sent is recognised as long as the replay is fresh enough to
 * pass the freshness check, and is stale after that.
 *
 * <p>At most {@code capacity} senders are remembered; a newcomer at a full history displaces the
 * one heard least recently. Thread-safe; each {@link Sender} is guarded by its own monitor.
 *
 * @param <T> what the sequencers deliver
 */
public final class SenderHistory<T> {

    /** One sender's record. Synchronise on it to use it. */
    public static final class Sender<T> {
        private final ReceiveSequencer<T> sequencer;
        private long lastHeardNanos;
        private long byeSequence = -1;
        private long byeTimestamp;
        private InetSocketAddress endpoint;

        Sender(long holdNanos, long nowNanos) {
            this.sequencer = new ReceiveSequencer<>(holdNanos);
            this.lastHeardNanos = nowNanos;
        }

        public ReceiveSequencer<T> sequencer() {
            return sequencer;
        }

        /** Whether {@code from} is another endpoint than the one its last message taken came from. */
        public boolean isNewEndpoint(InetSocketAddress from) {
            return endpoint != null && !endpoint.equals(from);
        }

        /** Notes where the message just taken came from. */
        public void tookFrom(InetSocketAddress from) {
            if (!from.equals(endpoint)) {
                endpoint = from; // rarely: each message heard would otherwise dirty a card for the GC
            }
        }

        /** Notes its bye, the message with this number and timestamp. */
        public void departed(long sequence, long timestamp) {
            byeSequence = sequence;
            byeTimestamp = timestamp;
        }

        /**
         * Whether a message was sent before the sender's last bye (it came late, by another
         * socket): no sign of life. A message sent after the bye means the sender is back, and
         * forgets the bye.
         */
        public boolean sentBeforeBye(long sequence, long timestamp) {
            if (byeSequence < 0) {
                return false;
            }
            if (sequence < byeSequence && timestamp <= byeTimestamp) {
                return true;
            }
            byeSequence = -1;
            return false;
        }
    }

    /**
     * Least recently heard first. In access order, so that hearing a known sender relinks its
     * entry rather than removing and adding it: that is every message heard, on the receive thread.
     * Only {@link #heard} looks entries up; {@link #remembers} asks without touching the order.
     */
    private final Map<Address, Sender<T>> senders = new LinkedHashMap<>(16, 0.75f, true);
    private final int capacity;
    private final long holdNanos;
    private final long retentionNanos;

    /**
     * @param capacity  most senders remembered
     * @param holdNanos how long a reliable message waits behind a gap
     * @param retentionNanos how long a silent sender is remembered
     */
    public SenderHistory(int capacity, long holdNanos, long retentionNanos) {
        this.capacity = capacity;
        this.holdNanos = holdNanos;
        this.retentionNanos = retentionNanos;
    }

    /** The record of {@code source}, new if it was not remembered; notes that it was heard now. */
    public synchronized Sender<T> heard(Address source, long nowNanos) {
        Sender<T> sender = senders.get(source); // moves it to the end, as the most recently heard
        if (sender == null) {
            if (senders.size() >= capacity) {
                Iterator<Sender<T>> eldest = senders.values().iterator();
                eldest.next();
                eldest.remove();
            }
            sender = new Sender<>(holdNanos, nowNanos);
            senders.put(source, sender);
        }
        sender.lastHeardNanos = nowNanos;
        return sender;
    }

    /** Whether {@code source} is remembered; does not count as hearing it. */
    public synchronized boolean remembers(Address source) {
        return senders.containsKey(source);
    }

    /**
     * Forgets the senders silent for longer than the retention. They are the least recently
     * heard, at the front, so the pass stops at the first one heard since.
     */
    public synchronized void expire(long nowNanos) {
        Iterator<Sender<T>> eldest = senders.values().iterator();
        while (eldest.hasNext() && nowNanos - eldest.next().lastHeardNanos > retentionNanos) {
            eldest.remove();
        }
    }

    /** The senders remembered now, for timer duties. */
    public synchronized List<Sender<T>> snapshot() {
        return new ArrayList<>(senders.values());
    }

    public synchronized int size() {
        return senders.size();
    }
}
