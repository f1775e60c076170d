package dev.mbus.core.engine;

import dev.mbus.core.awareness.PeerKind;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * The sending side of {@link Batching}: decides, for each send, whether it goes out at once or
 * joins a batch, and when a batch goes out. Every decision and every hand-over to the
 * transmitter happens under this object's lock, so commands are numbered in the order they were
 * sent; the transmitter only queues the datagram, so no {@code sendto} happens under the lock.
 * Each send's commands are written once, as a {@code T}, before the lock is taken: that measures
 * them against the batch, and the message is made of those texts. Thread-safe.
 *
 * @param <T> the written text of one send's commands
 */
final class Outbox<T> {

    /** Makes one message of the commands and sends it. */
    @FunctionalInterface
    interface Transmitter<T> {
        /**
         * @param peer     for a reliable message, the one entity that must acknowledge it
         * @param kind     for a reliable message, what that entity was known to be when sent
         * @param texts    the commands as written, send by send
         * @param outcomes the futures of the reliable sends whose commands the message carries
         * @param budget   bytes of text left for piggybacked acknowledgements, or -1 for no limit
         */
        void transmit(Address destination, Address peer, PeerKind kind, boolean reliable, List<Command> commands,
                List<T> texts, List<CompletableFuture<Void>> outcomes, int budget);
    }

    /** Asks for {@link #flushDue} to be called at about {@code nanos} on the entity's clock. */
    @FunctionalInterface
    interface Alarm {
        void wakeAt(long nanos);
    }

    private final class Batch {
        final Address destination;
        final Address peer;
        final PeerKind kind;
        final boolean reliable;
        final long deadlineNanos;
        final int budget;
        final List<Command> commands = new ArrayList<>();
        final List<T> texts = new ArrayList<>();
        final List<CompletableFuture<Void>> outcomes = new ArrayList<>();
        int bytes;

        Batch(Address destination, Address peer, PeerKind kind, boolean reliable, long deadlineNanos, int budget) {
            this.destination = destination;
            this.peer = peer;
            this.kind = kind;
            this.reliable = reliable;
            this.deadlineNanos = deadlineNanos;
            this.budget = budget;
        }

        boolean accepts(Address to, boolean isReliable, int more) {
            return reliable == isReliable && destination.equals(to) && bytes + more <= budget;
        }

        void add(List<Command> more, T text, CompletableFuture<Void> outcome) {
            commands.addAll(more);
            texts.add(text);
            bytes += length.applyAsInt(text);
            if (outcome != null) {
                outcomes.add(outcome);
            }
        }
    }

    /** Sends in a row that each came within the linger of the one before: a burst from {@value #BURST} on. */
    private static final int BURST = 2;

    private final long lingerNanos;
    private final MbusClock clock;
    private final Transmitter<T> transmitter;
    private final Alarm alarm;
    /** Bytes of command text a batch to that destination may hold. */
    private final ToIntFunction<Address> budget;
    /** Writes a send's commands. */
    private final Function<List<Command>, T> write;
    /** Bytes of text the commands written take. */
    private final ToIntFunction<T> length;
    /** What a send after {@link #close()} throws. */
    private final Supplier<RuntimeException> closedError;

    private Batch open;
    private long lastCallNanos;
    private int quickCalls;
    /** Whether an alarm is armed, and for when: a call before then is not the alarm, which still stands. */
    private boolean alarmSet;
    private long alarmNanos;
    private boolean closed;

    Outbox(Batching batching, MbusClock clock, ToIntFunction<Address> budget, Function<List<Command>, T> write,
            ToIntFunction<T> length, Transmitter<T> transmitter, Alarm alarm, Supplier<RuntimeException> closedError) {
        this.lingerNanos = batching.linger().toNanos();
        this.clock = clock;
        this.budget = budget;
        this.write = write;
        this.length = length;
        this.transmitter = transmitter;
        this.alarm = alarm;
        this.closedError = closedError;
        this.lastCallNanos = clock.nanoTime() - lingerNanos;
    }

    /**
     * Sends {@code commands} unreliably, at once or in a batch.
     *
     * @throws IllegalArgumentException when a command cannot be written (an unpaired surrogate)
     * @throws RuntimeException from the transmitter, when the commands went out at once
     */
    void send(Address destination, List<Command> commands) {
        T text = write.apply(commands);
        send(destination, commands, text, length.applyAsInt(text));
    }

    private synchronized void send(Address destination, List<Command> commands, T text, int bytes) {
        requireOpen();
        long now = clock.nanoTime();
        boolean burst = inBurst(now);
        if (open != null && (!open.accepts(destination, false, bytes) || overdue(now))) {
            flush();
        }
        if (open == null && (!burst || bytes > budget.applyAsInt(destination))) {
            sendNow(destination, null, null, false, commands, text, null);
            return;
        }
        batch(destination, null, null, false, now).add(commands, text, null);
    }

    /**
     * Adds reliable {@code commands} to the open batch when it is for the same destination and
     * has room: they then share its message and its place in the reliable window.
     *
     * @param text the commands as {@code write} wrote them
     * @return whether they joined; if not, make room in the window and call {@link #sendReliable}
     */
    synchronized boolean joinReliable(Address destination, List<Command> commands, T text,
            CompletableFuture<Void> outcome) {
        requireOpen();
        long now = clock.nanoTime();
        if (open == null || overdue(now) || !open.accepts(destination, true, length.applyAsInt(text))) {
            return false;
        }
        inBurst(now);
        open.add(commands, text, outcome);
        return true;
    }

    /**
     * Sends reliable {@code commands}, at once or as the first of a new batch, which owns the
     * place in the window the caller made.
     *
     * @param kind what {@code peer} is, as the caller found when it made room in the window
     * @param text the commands as {@code write} wrote them
     */
    synchronized void sendReliable(Address destination, Address peer, PeerKind kind, List<Command> commands, T text,
            CompletableFuture<Void> outcome) {
        requireOpen();
        flush();
        long now = clock.nanoTime();
        if (!inBurst(now) || length.applyAsInt(text) > budget.applyAsInt(destination)) {
            sendNow(destination, peer, kind, true, commands, text, outcome);
            return;
        }
        batch(destination, peer, kind, true, now).add(commands, text, outcome);
    }

    /**
     * Sends the open batch if its time has come; the entity's alarm and timer duty call it.
     * While a burst goes on, the alarm stays armed (one linger ahead, or for the open batch's
     * deadline), so that opening the next batch need not ask the timer thread to wake: only a
     * burst's first batch does.
     */
    synchronized void flushDue() {
        long now = clock.nanoTime();
        // A timer tick before the alarm must not arm a second one: each would keep itself armed.
        boolean alarm = alarmSet && now - alarmNanos >= 0;
        if (alarm) {
            alarmSet = false;
        }
        if (open != null && overdue(now)) {
            flush();
        }
        if (!alarm) {
            return;
        }
        if (open != null) {
            setAlarm(open.deadlineNanos);
        } else if (quickCalls >= BURST && now - lastCallNanos < lingerNanos) {
            setAlarm(now + lingerNanos);
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
        transmitter.transmit(batch.destination, batch.peer, batch.kind, batch.reliable, batch.commands, batch.texts,
                batch.outcomes, batch.budget - batch.bytes);
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

    private void sendNow(Address destination, Address peer, PeerKind kind, boolean reliable, List<Command> commands,
            T text, CompletableFuture<Void> outcome) {
        transmitter.transmit(destination, peer, kind, reliable, commands, List.of(text),
                outcome == null ? List.of() : List.of(outcome), -1);
    }

    private Batch batch(Address destination, Address peer, PeerKind kind, boolean reliable, long now) {
        if (open == null) {
            open = new Batch(destination, peer, kind, reliable, now + lingerNanos, budget.applyAsInt(destination));
            setAlarm(open.deadlineNanos);
        }
        return open;
    }

    private void setAlarm(long nanos) {
        if (!alarmSet) {
            alarmSet = true;
            alarmNanos = nanos;
            alarm.wakeAt(nanos);
        }
    }
}
