package dev.mbus.core.reliable;

import dev.mbus.core.message.Message;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The receiver's view of one sender (protocol §6): recognises what was heard before, delivers
 * each message at most once, and reliable messages in the sender's order even when a
 * retransmission fills a gap after later messages arrived.
 *
 * <p>A sender numbers every message it sends and every entity it knows hears every one of them,
 * so a gap in the numbers is a message that may still come. A reliable message behind a gap is
 * held until the gap fills or until no retransmission could fill it any more; then the gap is
 * given up. A reliable message numbered below one already delivered is {@link Verdict#LATE}:
 * refused, unacknowledged, so that order holds and its sender reports it failed. Unreliable
 * messages pass at once: they promise no order.
 *
 * <p>Runs are told apart by timestamps, never by numbers alone. Within one run of a sender,
 * numbers and timestamps grow together (a message is numbered and stamped at once), so a message
 * numbered at or below the highest number heard, or {@value #NEW_RUN_JUMP} or more above it, with a timestamp newer than
 * any heard, starts a new run: the sender restarted with the same address, or its counter
 * wrapped. Anything stamped no later than the previous run's newest timestamp is
 * {@link Verdict#STALE}, and so is a number above the highest heard with an older timestamp,
 * or far above it without a newer one (a replay: the run that sent it is not this one). The
 * first message heard of a run need not be its earliest still on its way: one sent just before
 * may have been overtaken (it left by another socket, or was lost and is retransmitted), so a
 * number up to {@value #NEW_RUN_JUMP} below the first heard, stamped no earlier than the hold
 * before it, still belongs to the run; anything else stamped before the first heard is
 * {@link Verdict#STALE}: a message cannot still arrive a hold after it was first sent. A message from a new
 * endpoint with a newer timestamp starts a new run too: a restarted process has a new socket. A
 * sender whose wall clock steps back is therefore not heard until its clock passes the newest
 * timestamp heard from it, or until it restarts.
 *
 * <p>A counter wraps to 0 without a new run: UCL's below a million (it skips 999999, others may
 * not), ours and others' after 2^32-1. A number below {@value #NEW_RUN_JUMP} while the highest heard
 * lies within {@value #NEW_RUN_JUMP} of such an end continues the run, on a scale that keeps
 * growing, so its timestamp may equal the last one's; what was in flight at the wrap still has
 * its place before it, and 999999 unheard at UCL's wrap holds nothing back (UCL never sends it;
 * if it comes later it is taken once, as a late number).
 *
 * <p>Which numbers were heard is kept in a sliding window of {@value #WINDOW} numbers around the
 * next expected one, at a fixed memory cost; older ones are stale. A number too far ahead for
 * the window gives up the oldest gaps to make room, so held messages never exceed the window.
 *
 * <p>Not thread-safe; callers serialise access per sender.
 *
 * @param <T> what is delivered
 */
public final class ReceiveSequencer<T> {

    /** What a message is, before anything is changed: see {@link #check}. */
    public enum Verdict {
        /** Not heard before: {@link #accept} delivers or holds it. */
        NEW,
        /** Heard before: deliver nothing (a reliable one is acknowledged again). */
        DUPLICATE,
        /** Never heard, but numbered below a reliable message already delivered: a reliable one is refused. */
        LATE,
        /** From an earlier run of the sender, or too old to tell: dropped. */
        STALE
    }

    /** What {@link #accept} did with a message. */
    public enum Outcome {
        /** Passed on now (possibly with held messages it released). */
        DELIVERED,
        /** Waits behind a gap. */
        HELD
    }

    static final int WINDOW = 1 << 14;
    private static final int HALF = WINDOW / 2;
    /**
     * A jump above the highest number heard, with a newer timestamp, that starts a new run: no
     * run of ours loses this many in a row to one receiver, while a restart's first number (drawn
     * below a million) lands this close above the old run's with a chance of about one in a
     * thousand; then the new run is taken for the old one continued (documented in the README).
     */
    static final int NEW_RUN_JUMP = 1 << 10;
    /** Where counters wrap to 0: UCL's range (numbers below a million) and the wire's, 2^32. */
    private static final long[] WRAP_PERIODS = {1_000_000, Message.MAX_SEQUENCE + 1};

    private final long holdNanos;
    /** The hold in the unit of timestamps: how much earlier than the first heard an overtaken message may be stamped. */
    private final long holdMillis;
    private final long[] heard = new long[WINDOW / 64];
    private final TreeMap<Long, Held<T>> held = new TreeMap<>();
    /**
     * When each held message arrived, in that order, so the earliest deadline is at the head;
     * entries of messages delivered since are skipped there, and compacted away when many.
     */
    private final ArrayDeque<Arrival> arrivals = new ArrayDeque<>();
    private boolean started;
    private long next;
    private long highest;
    private long newestTimestamp;
    private long previousRunNewest = Long.MIN_VALUE;
    /** The number and timestamp of the first message heard of the current run. */
    private long runFirstSequence;
    private long runFirstTimestamp;
    /** The highest number of a reliable message delivered in this run: below it, order forbids delivering one. */
    private long lastOrderedDelivered;
    /**
     * Numbers are kept on a scale that grows across wraps: a number of the current turn of the
     * sender's counter is {@code sequence + turnStart}; {@code lastPeriod} is the length of the
     * turn before (0 before any wrap), for numbers still in flight from it.
     */
    private long turnStart;
    private long lastPeriod;
    /** UCL's unused top number at its last wrap, when unheard: it holds nothing back. */
    private long skippable = -1;

    private record Held<T>(T item, long deadlineNanos) {
    }

    private record Arrival(long sequence, long deadlineNanos) {
    }

    /** @param holdNanos how long a reliable message waits behind a gap */
    public ReceiveSequencer(long holdNanos) {
        this.holdNanos = holdNanos;
        this.holdMillis = holdNanos / 1_000_000;
    }

    /**
     * What {@link #accept} would make of this message; changes nothing.
     *
     * @param newEndpoint whether it came from another endpoint than the sender's messages before:
     *                    with a newer timestamp, a new process, so a new run whatever its number
     */
    public Verdict check(long sequence, long timestamp, boolean newEndpoint) {
        long at = onScale(sequence);
        if (!started || startsNewRun(at, timestamp, newEndpoint)) {
            return timestamp <= previousRunNewest ? Verdict.STALE : Verdict.NEW;
        }
        if (timestamp <= previousRunNewest || isBeforeRun(at, timestamp) || isReplayAhead(at, timestamp)
                || at < next - HALF) {
            return Verdict.STALE;
        }
        if (at < next + HALF && isHeard(at)) {
            return Verdict.DUPLICATE;
        }
        return at < lastOrderedDelivered ? Verdict.LATE : Verdict.NEW;
    }

    /**
     * Takes a message that {@link #check} found {@link Verdict#NEW}, or {@link Verdict#LATE} and
     * not ordered.
     *
     * @param ordered whether it must keep its place in the sender's order (a reliable message
     *                addressed to this entity)
     * @param item    what to deliver, or null for a message only to be counted (addressed to
     *                another entity, or refused for want of room)
     */
    public Outcome accept(long wireSequence, long timestamp, boolean newEndpoint, boolean ordered, T item,
            long nowNanos, Consumer<T> deliver) {
        long sequence = onScale(wireSequence);
        if (!started || startsNewRun(sequence, timestamp, newEndpoint)) {
            startRun(wireSequence, timestamp, deliver);
            sequence = wireSequence;
        } else if (sequence - wireSequence > turnStart) {
            wrapped(sequence - wireSequence - turnStart);
        }
        newestTimestamp = Math.max(newestTimestamp, timestamp);
        highest = Math.max(highest, sequence);
        if (sequence - next >= HALF) {
            giveUpBefore(sequence - HALF + 1, deliver);
        }
        markHeard(sequence);
        if (sequence > next && ordered && item != null) {
            long deadline = nowNanos + holdNanos;
            held.put(sequence, new Held<>(item, deadline));
            if (arrivals.size() >= 2 * WINDOW) {
                arrivals.removeIf(arrival -> !isHeld(arrival));
            }
            arrivals.add(new Arrival(sequence, deadline));
            return Outcome.HELD;
        }
        if (item != null) {
            if (ordered) {
                lastOrderedDelivered = Math.max(lastOrderedDelivered, sequence);
            }
            deliver.accept(item);
        }
        advance(deliver);
        return Outcome.DELIVERED;
    }

    /** Gives up gaps that held messages have waited behind long enough, delivering them. */
    public void onTimer(long nowNanos, Consumer<T> deliver) {
        while (!arrivals.isEmpty()) {
            Arrival earliest = arrivals.peek();
            if (!isHeld(earliest)) {
                arrivals.poll(); // delivered already
            } else if (earliest.deadlineNanos - nowNanos <= 0) {
                // Every number below it was sent before it, so no retransmission can still fill those gaps.
                giveUpBefore(earliest.sequence, deliver);
            } else {
                return;
            }
        }
    }

    private boolean isHeld(Arrival arrival) {
        Held<T> waiting = held.get(arrival.sequence);
        return waiting != null && waiting.deadlineNanos == arrival.deadlineNanos;
    }

    /** Gives up every gap: the held messages are delivered in order (the receiver is closing). */
    public void releaseAll(Consumer<T> deliver) {
        deliverAllHeld(deliver);
    }

    /** How many messages wait behind a gap. */
    public int held() {
        return held.size();
    }

    /** {@code sequence} on the growing scale: in this turn of the counter, the next, or the one before. */
    private long onScale(long sequence) {
        if (!started) {
            return sequence;
        }
        long at = sequence + turnStart;
        long period = periodEndingNear(highest - turnStart);
        if (period != 0 && sequence < NEW_RUN_JUMP) {
            return at + period;
        }
        if (lastPeriod != 0 && at - highest >= HALF && highest - (at - lastPeriod) < HALF) {
            return at - lastPeriod;
        }
        return at;
    }

    /** The length of a counter's turn that ends within {@value #NEW_RUN_JUMP} above {@code sequence}, or 0. */
    private static long periodEndingNear(long sequence) {
        for (long period : WRAP_PERIODS) {
            if (sequence < period && period - sequence <= NEW_RUN_JUMP) {
                return period;
            }
        }
        return 0;
    }

    /** The sender's counter went round: what follows is numbered on from the end of this turn. */
    private void wrapped(long period) {
        long top = turnStart + period - 1;
        if (period == WRAP_PERIODS[0] && !isHeard(top)) {
            skippable = top;
            if (next == top) {
                step();
            }
        }
        turnStart += period;
        lastPeriod = period;
    }

    /**
     * Within one run a lower number was stamped no later than a higher one: a newer timestamp on
     * a number at or below the highest heard, or on one too far above it to be a gap, is a new run.
     */
    private boolean startsNewRun(long sequence, long timestamp, boolean newEndpoint) {
        return started && timestamp > newestTimestamp
                && (newEndpoint || sequence <= highest || sequence - highest >= NEW_RUN_JUMP);
    }

    /**
     * Stamped before the first message heard of this run, and not one that message could have
     * overtaken: within a run a lower number was stamped no later than a higher one.
     */
    private boolean isBeforeRun(long sequence, long timestamp) {
        if (sequence >= runFirstSequence) {
            return timestamp < runFirstTimestamp;
        }
        return runFirstSequence - sequence >= NEW_RUN_JUMP || timestamp > runFirstTimestamp
                || timestamp < runFirstTimestamp - holdMillis;
    }

    /**
     * A number above the highest heard, stamped earlier than the newest heard, or so far above it
     * that it cannot be a gap without a newer stamp: not sent by the run heard so far.
     */
    private boolean isReplayAhead(long sequence, long timestamp) {
        return sequence > highest && (timestamp < newestTimestamp || sequence - highest >= HALF);
    }

    private void startRun(long sequence, long timestamp, Consumer<T> deliver) {
        if (started) {
            deliverAllHeld(deliver);
            Arrays.fill(heard, 0);
            previousRunNewest = newestTimestamp;
        }
        started = true;
        next = sequence;
        highest = sequence;
        newestTimestamp = timestamp;
        runFirstSequence = sequence;
        runFirstTimestamp = timestamp;
        lastOrderedDelivered = Long.MIN_VALUE;
        turnStart = 0;
        lastPeriod = 0;
        skippable = -1;
    }

    /** Moves past every number heard in a row, delivering the held messages on the way. */
    private void advance(Consumer<T> deliver) {
        while (isHeard(next) || next == skippable) {
            deliverHeld(next, deliver);
            step();
        }
    }

    /** Gives up every gap below {@code target}: the held messages there are delivered in order. */
    private void giveUpBefore(long target, Consumer<T> deliver) {
        if (target - next >= WINDOW) {
            deliverAllHeld(deliver);
            Arrays.fill(heard, 0);
            next = target;
        }
        while (next < target) {
            deliverHeld(next, deliver);
            step();
        }
        advance(deliver);
    }

    private void deliverHeld(long sequence, Consumer<T> deliver) {
        Held<T> waiting = held.remove(sequence);
        if (waiting != null) {
            lastOrderedDelivered = sequence;
            deliver.accept(waiting.item);
        }
    }

    private void deliverAllHeld(Consumer<T> deliver) {
        for (Map.Entry<Long, Held<T>> entry : held.entrySet()) {
            lastOrderedDelivered = entry.getKey();
            deliver.accept(entry.getValue().item);
        }
        held.clear();
        arrivals.clear();
    }

    private void step() {
        // The slot of the number just entering the window's top is the one leaving its bottom.
        clearHeard(next + HALF);
        next++;
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
