package dev.mbus.core.engine;

import dev.mbus.core.awareness.Peer;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * The sending side of {@link Batching}: decides, for each send, whether it goes out at once or
 * joins a batch, and when a batch goes out. Every decision and every transmission happens under
 * this object's lock, so commands leave in the order they were sent. Thread-safe.
 */
final class Outbox {

    /** Makes one message of the commands and sends it. */
    @FunctionalInterface
    interface Transmitter {
        /**
         * @param peer     for a reliable message, the one entity that must acknowledge it, as it was known when sent
         * @param outcomes the futures of the reliable sends whose commands the message carries
         * @param budget   bytes of text left for piggybacked acknowledgements, or -1 for no limit
         */
        void transmit(Address destination, Peer peer, boolean reliable, List<Command> commands,
                List<CompletableFuture<Void>> outcomes, int budget);
    }

    /** Asks for {@link #flushDue} to be called at about {@code nanos} on the entity's clock. */
    @FunctionalInterface
    interface Alarm {
        void wakeAt(long nanos);
    }

    private static final class Batch {
        final Address destination;
        final Peer peer;
        final boolean reliable;
        final long deadlineNanos;
        final int budget;
        final List<Command> commands = new ArrayList<>();
        final List<CompletableFuture<Void>> outcomes = new ArrayList<>();
        int bytes;

        Batch(Address destination, Peer peer, boolean reliable, long deadlineNanos, int budget) {
            this.destination = destination;
            this.peer = peer;
            this.reliable = reliable;
            this.deadlineNanos = deadlineNanos;
            this.budget = budget;
        }

        boolean accepts(Address to, boolean isReliable, int more) {
            return reliable == isReliable && destination.equals(to) && bytes + more <= budget;
        }

        void add(List<Command> more, int moreBytes, CompletableFuture<Void> outcome) {
            commands.addAll(more);
            bytes += moreBytes;
            if (outcome != null) {
                outcomes.add(outcome);
            }
        }
    }

    /** Sends in a row that each came within the linger of the one before: a burst from {@value #BURST} on. */
    private static final int BURST = 2;

    private final long lingerNanos;
    private final MbusClock clock;
    private final Transmitter transmitter;
    private final Alarm alarm;
    /** Bytes of command text a batch to that destination may hold. */
    private final ToIntFunction<Address> budget;
    /** Bytes of text those commands take. */
    private final ToIntFunction<List<Command>> length;
    /** What a send after {@link #close()} throws. */
    private final Supplier<RuntimeException> closedError;

    private Batch open;
    private long lastCallNanos;
    private int quickCalls;
    private boolean alarmSet;
    private boolean closed;

    Outbox(Batching batching, MbusClock clock, ToIntFunction<Address> budget, ToIntFunction<List<Command>> length,
            Transmitter transmitter, Alarm alarm, Supplier<RuntimeException> closedError) {
        this.lingerNanos = batching.linger().toNanos();
        this.clock = clock;
        this.budget = budget;
        this.length = length;
        this.transmitter = transmitter;
        this.alarm = alarm;
        this.closedError = closedError;
        this.lastCallNanos = clock.nanoTime() - lingerNanos;
    }

    /**
     * Sends {@code commands} unreliably, at once or in a batch.
     *
     * @throws RuntimeException from the transmitter, when the commands went out at once
     */
    synchronized void send(Address destination, List<Command> commands) {
        requireOpen();
        long now = clock.nanoTime();
        boolean burst = inBurst(now);
        if (open == null && !burst) {
            sendNow(destination, null, false, commands, null);
            return;
        }
        int bytes = length.applyAsInt(commands);
        if (open != null && (!open.accepts(destination, false, bytes) || overdue(now))) {
            flush();
        }
        if (open == null && (!burst || bytes > budget.applyAsInt(destination))) {
            sendNow(destination, null, false, commands, null);
            return;
        }
        batch(destination, null, false, now).add(commands, bytes, null);
    }

    /**
     * Adds reliable {@code commands} to the open batch when it is for the same destination and
     * has room: they then share its message and its place in the reliable window.
     *
     * @param bytes what the commands take in a message's text
     * @return whether they joined; if not, make room in the window and call {@link #sendReliable}
     */
    synchronized boolean joinReliable(Address destination, List<Command> commands, int bytes,
            CompletableFuture<Void> outcome) {
        requireOpen();
        long now = clock.nanoTime();
        if (open == null || overdue(now) || !open.accepts(destination, true, bytes)) {
            return false;
        }
        inBurst(now);
        open.add(commands, bytes, outcome);
        return true;
    }

    /**
     * Sends reliable {@code commands}, at once or as the first of a new batch, which owns the
     * place in the window the caller made.
     *
     * @param bytes what the commands take in a message's text
     */
    synchronized void sendReliable(Address destination, Peer peer, List<Command> commands, int bytes,
            CompletableFuture<Void> outcome) {
        requireOpen();
        flush();
        long now = clock.nanoTime();
        if (!inBurst(now) || bytes > budget.applyAsInt(destination)) {
            sendNow(destination, peer, true, commands, outcome);
            return;
        }
        batch(destination, peer, true, now).add(commands, bytes, outcome);
    }

    /** Sends the open batch if its time has come; the entity's alarm and timer duty call it. */
    synchronized void flushDue() {
        alarmSet = false;
        if (open == null) {
            return;
        }
        if (overdue(clock.nanoTime())) {
            flush();
        } else {
            setAlarm(open.deadlineNanos);
        }
    }

    /** Sends the open batch and refuses sends from now on, so that nothing can wait in a batch nobody will send. */
    synchronized void close() {
        closed = true;
        flush();
    }

    private void requireOpen() {
        if (closed) {
            throw closedError.get();
        }
    }

    /** Sends the open batch now, if any. */
    synchronized void flush() {
        Batch batch = open;
        if (batch == null) {
            return;
        }
        open = null;
        transmitter.transmit(batch.destination, batch.peer, batch.reliable, batch.commands, batch.outcomes,
                batch.budget - batch.bytes);
    }

    /** Whether the open batch has waited its linger: the alarm may run late when the CPUs are busy. */
    private boolean overdue(long now) {
        return now - open.deadlineNanos >= 0;
    }

    /**
     * Notes a send at {@code now}; whether it is part of a burst. A pair of sends close together
     * is not a burst yet: a sender that keeps a steady pace but is late once should not wait.
     */
    private boolean inBurst(long now) {
        quickCalls = lingerNanos > 0 && now - lastCallNanos < lingerNanos ? quickCalls + 1 : 0;
        lastCallNanos = now;
        return quickCalls >= BURST;
    }

    private void sendNow(Address destination, Peer peer, boolean reliable, List<Command> commands,
            CompletableFuture<Void> outcome) {
        transmitter.transmit(destination, peer, reliable, commands, outcome == null ? List.of() : List.of(outcome), -1);
    }

    private Batch batch(Address destination, Peer peer, boolean reliable, long now) {
        if (open == null) {
            open = new Batch(destination, peer, reliable, now + lingerNanos, budget.applyAsInt(destination));
            setAlarm(open.deadlineNanos);
        }
        return open;
    }

    private void setAlarm(long nanos) {
        if (!alarmSet) {
            alarmSet = true;
            alarm.wakeAt(nanos);
        }
    }
}
