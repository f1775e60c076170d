package dev.mbus.core.reliable;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The receiver's view of one sender (protocol §6): delivers each message once, and reliable
 * messages in the sender's order even when a retransmission fills a gap after later messages
 * arrived.
 *
 * <p>A sender numbers every message it sends, and every entity it knows hears every one of them
 * (the engine sends by unicast only to a sole peer), so a gap in the numbers is a message that
 * may still come. A reliable message behind a gap is held
 * until the gap fills or until no retransmission could fill it any more. Unreliable messages
 * pass at once: they promise no order.
 *
 * <p>Which numbers were heard is kept in a sliding window of {@value #WINDOW} numbers around the
 * next expected one, so duplicates and replays inside it are recognised at a fixed memory cost;
 * anything older is stale. A number below the window's position with a timestamp newer than any
 * seen from this sender marks a restarted sender that reuses its address (or a wrapped counter):
 * the window starts afresh there. The reference implementation remembers one number per sender
 * and so loses a restarted sender's first messages.
 *
 * <p>Not thread-safe; callers serialise access per sender.
 *
 * @param <T> what is delivered
 */
public final class ReceiveSequencer<T> {

    /** What became of a message. */
    public enum Outcome {
        /** Passed on now (possibly with held messages it released). */
        DELIVERED,
        /** Waits behind a gap. */
        HELD,
        /** Heard before, or too old to tell: not passed on (a reliable one is acknowledged again). */
        DUPLICATE
    }

    static final int WINDOW = 1 << 16;
    private static final int HALF = WINDOW / 2;
    /** Most messages held per sender; beyond it the oldest gap is given up, to bound memory. */
    static final int MAX_HELD = 16_384;

    private final long holdNanos;
    private final long[] heard = new long[WINDOW / 64];
    private final TreeMap<Long, Held<T>> held = new TreeMap<>();
    private boolean started;
    private long next;
    private long newestTimestamp = Long.MIN_VALUE;

    private record Held<T>(T item, long deadlineNanos) {
    }

    /** @param holdNanos how long a reliable message waits behind a gap */
    public ReceiveSequencer(long holdNanos) {
        this.holdNanos = holdNanos;
    }

    /**
     * Takes a message heard from this sender.
     *
     * @param ordered whether it must keep its place in the sender's order (a reliable message
     *                addressed to this entity)
     * @param item    what to deliver, or null for a message only to be counted (addressed to
     *                another entity)
     */
    public Outcome accept(long sequence, long timestamp, boolean ordered, T item, long nowNanos, Consumer<T> deliver) {
        if (!started || (sequence < next && timestamp > newestTimestamp) || sequence - next >= HALF) {
            restart(sequence, deliver);
        }
        newestTimestamp = Math.max(newestTimestamp, timestamp);
        if (sequence < next - HALF || isHeard(sequence)) {
            return Outcome.DUPLICATE;
        }
        markHeard(sequence);
        if (sequence > next && ordered && item != null) {
            held.put(sequence, new Held<>(item, nowNanos + holdNanos));
            if (held.size() > MAX_HELD) {
                skipGap(deliver);
            }
            return Outcome.HELD;
        }
        if (item != null) {
            deliver.accept(item);
        }
        advance(deliver);
        return Outcome.DELIVERED;
    }

    /** Gives up gaps that held messages have waited behind long enough, delivering them. */
    public void onTimer(long nowNanos, Consumer<T> deliver) {
        while (!held.isEmpty() && earliestDeadline() - nowNanos <= 0) {
            skipGap(deliver);
        }
    }

    /** How many messages wait behind a gap. */
    public int held() {
        return held.size();
    }

    /** Moves past every number heard in a row, delivering the held messages on the way. */
    private void advance(Consumer<T> deliver) {
        while (isHeard(next)) {
            Held<T> waiting = held.remove(next);
            if (waiting != null) {
                deliver.accept(waiting.item);
            }
            step();
        }
    }

    private void skipGap(Consumer<T> deliver) {
        long target = held.firstKey();
        while (next < target) {
            step();
        }
        advance(deliver);
    }

    private void step() {
        next++;
        // The slot of the number just entering the window's top is the one leaving its bottom.
        clearHeard(next + HALF - 1);
    }

    private void restart(long sequence, Consumer<T> deliver) {
        if (started) {
            while (!held.isEmpty()) {
                skipGap(deliver);
            }
            Arrays.fill(heard, 0);
        }
        started = true;
        next = sequence;
    }

    private long earliestDeadline() {
        long earliest = Long.MAX_VALUE;
        for (Map.Entry<Long, Held<T>> entry : held.entrySet()) {
            long deadline = entry.getValue().deadlineNanos;
            if (earliest == Long.MAX_VALUE || deadline - earliest < 0) {
                earliest = deadline;
            }
        }
        return earliest;
    }

    private boolean isHeard(long sequence) {
        int slot = (int) (sequence & (WINDOW - 1));
        return (heard[slot >>> 6] & (1L << slot)) != 0;
    }

    private void markHeard(long sequence) {
        int slot = (int) (sequence & (WINDOW - 1));
        heard[slot >>> 6] |= 1L << slot;
    }

    private void clearHeard(long sequence) {
        int slot = (int) (sequence & (WINDOW - 1));
        heard[slot >>> 6] &= ~(1L << slot);
    }
}
