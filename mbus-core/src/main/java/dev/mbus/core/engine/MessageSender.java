package dev.mbus.core.engine;

import dev.mbus.core.DeliveryException;
import dev.mbus.core.DeliveryException.Reason;
import dev.mbus.core.awareness.Peer;
import dev.mbus.core.awareness.PeerKind;
import dev.mbus.core.awareness.PeerTable;
import dev.mbus.core.codec.CommandText;
import dev.mbus.core.codec.DatagramCodec;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.Message;
import dev.mbus.core.reliable.PendingAcks;
import dev.mbus.core.reliable.ReliableWindow;
import dev.mbus.core.security.DatagramSecurity;
import dev.mbus.core.transport.Transport;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Everything an entity sends: numbers and stamps its messages, piggybacks the acknowledgements
 * it owes, batches bursts through the {@link Outbox}, keeps reliable messages in the
 * {@link ReliableWindow}, and picks the way out (the group, or unicast to a sole peer of ours).
 * What a peer can take comes from its {@link PeerKind}: size, window, unicast. Thread-safe.
 */
final class MessageSender {

    /** Header bytes of a message besides its two addresses, with the widest sequence number and timestamp. */
    private static final int HEADER_BYTES_BESIDES_ADDRESSES = "mbus/1.0 4294967295 9999999999999 R   ()\n".length();
    /** Bytes one number takes in an ack list, separator included. */
    private static final int ACK_BYTES = " 4294967295".length();
    /**
     * The last sequence number before the counter goes round to 0, as the UCL tools' does (they
     * never send 999999): they read a number into a C int, so ours stay where every peer reads
     * them the same. The first number is drawn at random in that range, so that a fresh start
     * does not reuse the numbers of the run before, and an acknowledgement replayed from that run
     * almost never matches a message of this one.
     */
    private static final long LAST_SEQUENCE = 999_998;
    private static final System.Logger LOG = System.getLogger(MessageSender.class.getName());
    /** The smallest datagram any kind of peer takes: below it, no lookup of who a message is for. */
    private static final int SMALLEST_PEER_DATAGRAM = smallestPeerDatagram();

    private final Address address;
    private final DatagramCodec codec;
    private final OrderedWire wire;
    private final MbusClock clock;
    private final PeerTable peers;
    private final PendingAcks acks;
    private final ReliableWindow window;
    private final EntityCounters counters;
    private final UserFutures userFutures;
    private final boolean unicast;
    private final Outbox<CommandText> outbox;
    private final BooleanSupplier running;
    private final Supplier<DeliveryException> closedError;
    private final int batchDatagramBytes;
    /** Bytes of command text a batch may hold while every entity known is one of ours. */
    private final int ownBatchTextBytes;
    private final int ownAddressBytes;
    private final AtomicBoolean warnedTooLarge = new AtomicBoolean();
    /**
     * Held from numbering a message to queuing its datagram on the {@link OrderedWire}, which
     * sends in queue order: receivers order by number, so datagrams must leave in number order
     * whichever threads send them (a hello, a bare acknowledgement and a user's send race
     * otherwise). Never held across {@code sendto}.
     */
    private final Object wireLock = new Object();
    private long nextSequence;

    MessageSender(EntityConfig config, DatagramCodec codec, Transport transport, PeerTable peers, PendingAcks acks,
            ReliableWindow window, EntityCounters counters, UserFutures userFutures, Outbox.Alarm alarm,
            BooleanSupplier running, Supplier<DeliveryException> closedError) {
        this.address = config.address();
        this.codec = codec;
        this.wire = new OrderedWire(transport);
        this.clock = config.clock();
        this.peers = peers;
        this.acks = acks;
        this.window = window;
        this.counters = counters;
        this.userFutures = userFutures;
        this.unicast = config.unicast();
        this.running = running;
        this.closedError = closedError;
        this.nextSequence = config.random().nextLong(1, LAST_SEQUENCE + 1);
        this.batchDatagramBytes = config.batching().maxDatagramBytes();
        this.ownAddressBytes = codec.messages().encodedLength(address);
        int batchTextBytes = textBytesFitting(batchDatagramBytes);
        this.ownBatchTextBytes = textBytesFitting(config.batching().maxOwnDatagramBytes());
        this.outbox = new Outbox<>(config.batching(), clock, destination -> batchBudget(destination, batchTextBytes),
                codec.messages()::write, CommandText::length, this::transmitMessage, alarm, closedError::get);
    }

    /** Sends {@code commands} in one unreliable message, at once or in a batch. */
    void send(Address destination, List<Command> commands) {
        try {
            outbox.send(destination, commands);
        } finally {
            wire.send(); // also what an encoding failure queued: the acknowledgements it was to carry
        }
    }

    /**
     * Sends {@code commands} in one reliable message to the one entity {@code destination}
     * matches; the future completes on the handler executor, after the futures of earlier sends
     * to that destination, and never on the caller's thread. Waits for room in the window,
     * except on an engine thread, where a full window fails the send at once.
     *
     * @throws IllegalArgumentException when a command cannot be written (an unpaired surrogate)
     */
    CompletableFuture<Void> sendReliable(Address destination, List<Command> commands) {
        // Written here, so that a command that cannot be written throws before it takes room in the window.
        CommandText text = codec.messages().write(commands);
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        try {
            Address peer = uniquePeer(destination);
            PeerKind kind = peers.kindOf(peer);
            if (kind == null) {
                throw unknown(destination); // it left since
            }
            if (outbox.joinReliable(destination, commands, text, outcome)) {
                return outcome;
            }
            boolean alone = !kind.takesWindow();
            takeRoomInWindow(alone);
            try {
                outbox.sendReliable(destination, peer, kind, commands, text, outcome);
            } catch (RuntimeException e) {
                window.release(alone); // closed before the message could take its place
                throw e;
            }
        } catch (RuntimeException e) {
            finish(List.of(outcome), e, destination);
        }
        try {
            wire.send();
        } catch (RuntimeException e) {
            // The window holds the message now: it is retransmitted, then acknowledged or failed.
            LOG.log(System.Logger.Level.DEBUG, "a reliable message waits for its retransmission: " + e.getMessage());
        }
        return outcome;
    }

    /** @param alone for a peer that takes one reliable message at a time */
    private void takeRoomInWindow(boolean alone) {
        if (EngineThread.isCurrent()) {
            if (!window.tryAcquire(alone)) {
                throw new DeliveryException(Reason.WINDOW_FULL, "the reliable window of " + address + " is full"
                        + (alone ? ", or a message to a peer that takes one at a time is in flight," : "")
                        + " and a send from an engine thread cannot wait for room");
            }
            return;
        }
        try {
            if (!window.acquire(alone)) {
                throw closedError.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException(Reason.CLOSED, "interrupted while the reliable window was full");
        }
    }

    /** Sends the commands waiting in a batch now. */
    void flush() {
        outbox.flush();
        wire.send();
    }

    /** Sends the open batch if its linger has passed. */
    void flushDue() {
        outbox.flushDue();
        wire.send();
    }

    /** Sends the last batch and refuses sends from now on. */
    void close() {
        outbox.close();
        wire.send();
    }

    /** A protocol command of this entity's own: out at once, never behind a batch. */
    void sendNow(Address destination, Command command) {
        try {
            List<Command> commands = List.of(command);
            transmitMessage(destination, null, null, false, commands, List.of(codec.messages().write(commands)), List.of(),
                    -1);
        } finally {
            wire.send();
        }
    }

    /** Resends a reliable message exactly as first sent. */
    void retransmit(ReliableWindow.Outstanding message) {
        counters.retransmissions.increment();
        queue(message.datagram(), message.peer());
        wire.send();
    }

    /** Sends the acknowledgements owed to one entity in a message with no command. */
    void sendBareAck(PendingAcks.Batch batch) {
        synchronized (wireLock) {
            queue(codec.encode(compose(false, batch.peer(), batch.sequences(), List.of())), batch.peer());
        }
        wire.send();
    }

    /** Sends bare what has been owed since {@code deadlineNanos} or earlier: T_c has passed for it. */
    void sendOverdueAcks(long deadlineNanos) {
        for (PendingAcks.Batch batch : acks.takeOverdue(deadlineNanos)) {
            sendBareAck(batch);
        }
    }

    /** Whether acknowledgements are owed: sent bare on a tick if nothing carries them first. */
    boolean owesAcks() {
        return !acks.isEmpty();
    }

    /** Sends every acknowledgement owed, bare. */
    void sendAllOwedAcks() {
        for (PendingAcks.Batch batch : acks.takeAll()) {
            sendBareAck(batch);
        }
    }

    /**
     * Says bye the way the last messages went: a sole peer that got them by unicast reads its
     * two sockets in turns, and must not hear the bye before a datagram sent earlier.
     */
    void sayBye() {
        List<Peer> known = peers.snapshot();
        synchronized (wireLock) {
            byte[] bye = codec.encode(compose(false, Address.BROADCAST, List.of(), List.of(new Command("mbus.bye", List.of()))));
            queue(bye, known.size() == 1 ? known.get(0).address() : null);
        }
        wire.sendAll(); // the transport closes next
    }

    /**
     * Makes one message of {@code commands} and sends it; for a reliable one, to {@code peer},
     * which was of that {@code kind} when the caller made room in the window, which this gives
     * back if the message cannot be written.
     * Piggybacks what is owed to the destination, within {@code budget} bytes when it is not -1.
     * The outbox calls it under its lock; the entity's own protocol commands go straight here.
     * The datagram is queued on the wire: the caller sends it once it holds no lock.
     */
    private void transmitMessage(Address destination, Address peer, PeerKind kind, boolean reliable,
            List<Command> commands, List<CommandText> texts, List<CompletableFuture<Void>> outcomes, int budget) {
        Address target = peer != null ? peer
                // Resolving the destination only pays when it can carry acks or go by unicast.
                : (unicast && peers.size() == 1) || !acks.isEmpty() ? uniquePeerOrNull(destination) : null;
        int maxAcks = budget < 0 ? Integer.MAX_VALUE : budget / ACK_BYTES;
        List<Long> acknowledging = target == null ? List.of() : acks.take(target, maxAcks);
        synchronized (wireLock) {
            Message message = compose(reliable, destination, acknowledging, commands);
            byte[] datagram;
            try {
                datagram = codec.encode(message, texts);
                if (datagram.length > SMALLEST_PEER_DATAGRAM) {
                    checkSize(datagram.length, destination, peer, kind);
                }
            } catch (RuntimeException e) {
                // Nothing went out with that number: a receiver must not wait for it as for a gap.
                nextSequence = message.sequence();
                if (!acknowledging.isEmpty()) {
                    queue(codec.encode(compose(false, target, acknowledging, List.of())), target);
                }
                if (reliable) {
                    window.release(!kind.takesWindow());
                    finish(outcomes, e, destination);
                }
                throw e;
            }
            if (reliable) {
                window.register(message.sequence(), peer, datagram, outcomeOf(outcomes, destination), !kind.takesWindow(),
                        clock.nanoTime());
            }
            counters.sent.increment();
            counters.commandsSent.add(commands.size());
            queue(datagram, target);
        }
    }

    /** The future the window completes for a message: it completes the futures of every send the message carries. */
    private CompletableFuture<Void> outcomeOf(List<CompletableFuture<Void>> outcomes, Address destination) {
        CompletableFuture<Void> message = new CompletableFuture<>();
        message.whenComplete((ok, error) -> finish(outcomes, error, destination));
        return message;
    }

    /** Counts the sends as acknowledged, or failed when {@code error} is set, and completes their futures. */
    private void finish(List<CompletableFuture<Void>> outcomes, Throwable error, Address destination) {
        (error == null ? counters.acknowledged : counters.failed).add(outcomes.size());
        userFutures.completeAll(outcomes, error, destination);
    }

    /** Numbers and stamps a message; the caller holds {@link #wireLock} until it is queued on the wire. */
    private Message compose(boolean reliable, Address destination, List<Long> acknowledging, List<Command> commands) {
        long sequence = nextSequence;
        nextSequence = sequence == LAST_SEQUENCE ? 0 : sequence + 1;
        return new Message(sequence, clock.currentTimeMillis(), reliable, address, destination, acknowledging, commands);
    }

    /**
     * Refuses a datagram larger than an entity it is for is known to take; counts (and warns of,
     * once) one that only passes such entities by, as an unreliable message to others does.
     */
    private void checkSize(int bytes, Address destination, Address peer, PeerKind kind) {
        if (peer != null && bytes > kind.maxDatagramBytes()) {
            throw tooLargeFor(bytes, peer, kind);
        }
        for (Peer one : peer != null ? List.<Peer>of() : peers.matching(destination)) {
            if (bytes > one.kind().maxDatagramBytes()) {
                throw tooLargeFor(bytes, one.address(), one.kind());
            }
        }
        for (Peer one : peers.snapshot()) {
            if (bytes > one.kind().maxDatagramBytes()) {
                counters.tooLargeForPeers.increment();
                if (warnedTooLarge.compareAndSet(false, true)) {
                    LOG.log(System.Logger.Level.WARNING, "Sent a message of {0} bytes to {1}; {2} on the bus takes "
                            + "at most {3} and drops it (said once; counted in tooLargeForPeers)", bytes,
                            destination, one.address(), one.kind().maxDatagramBytes());
                }
                return;
            }
        }
    }

    private static DeliveryException tooLargeFor(int bytes, Address peer, PeerKind kind) {
        return new DeliveryException(Reason.TOO_LARGE_FOR_DESTINATION, "a message of " + bytes + " bytes for " + peer
                + ", which as a " + kind + " peer takes at most " + kind.maxDatagramBytes() + "; not sent");
    }

    /**
     * Bytes of command text a batch to {@code destination} may hold: within the size for our own
     * entities while they are all that is known, else within the batching size and what the
     * smallest entity it is for takes.
     */
    private int batchBudget(Address destination, int batchTextBytes) {
        int text = ownBatchTextBytes;
        if (!peers.onlyOurs()) {
            text = batchTextBytes;
            for (Peer peer : peers.matching(destination)) {
                if (peer.kind().maxDatagramBytes() < batchDatagramBytes) {
                    text = Math.min(text, textBytesFitting(peer.kind().maxDatagramBytes()));
                }
            }
        }
        return text - HEADER_BYTES_BESIDES_ADDRESSES - ownAddressBytes - codec.messages().encodedLength(destination);
    }

    private static int smallestPeerDatagram() {
        int smallest = Integer.MAX_VALUE;
        for (PeerKind kind : PeerKind.values()) {
            smallest = Math.min(smallest, kind.maxDatagramBytes());
        }
        return smallest;
    }

    /**
     * Queues for the group, or straight for {@code peer} when unicast is on, it is the only entity known,
     * and it is one of ours, at an endpoint nothing else receives at ({@link PeerKind#unicastSafe}):
     * then no other entity this one knows of misses the message, so every receiver it knows still
     * sees all of this entity's sequence numbers, which its gap-based ordering relies on. An
     * endpoint on the bus port is shared by every UCL tool of the host, whatever their keys: a
     * datagram sent there reaches whichever of them the kernel picks.
     */
    private void queue(byte[] datagram, Address peer) {
        boolean direct = unicast && peer != null && peers.size() == 1;
        wire.queue(datagram, direct ? peers.unicastEndpointOf(peer) : null);
    }

    /** The longest message text whose datagram (digest line, padding) fits {@code datagramBytes}. */
    private int textBytesFitting(int datagramBytes) {
        int text = datagramBytes - DatagramSecurity.HEADER_BYTES;
        while (codec.datagramLength(text) > datagramBytes) {
            text--;
        }
        return text;
    }

    /** The address of the one known entity {@code destination} matches, or a {@link DeliveryException} saying why not. */
    Address uniquePeer(Address destination) {
        Address sole = peers.soleMatch(destination);
        if (sole != null) {
            return sole;
        }
        List<Peer> matching = peers.matching(destination); // looked at again: to say why not, or it just changed
        if (matching.size() == 1) {
            return matching.get(0).address();
        }
        if (matching.isEmpty()) {
            throw unknown(destination);
        }
        throw new DeliveryException(Reason.DESTINATION_NOT_UNIQUE,
                matching.size() + " known entities match " + destination + "; a reliable message needs exactly one");
    }

    private static DeliveryException unknown(Address destination) {
        return new DeliveryException(Reason.UNKNOWN_DESTINATION, "no known entity matches " + destination);
    }

    /** The address of the one known entity {@code destination} matches, or null when none or several. */
    Address uniquePeerOrNull(Address destination) {
        return destination.isBroadcast() ? null : peers.soleMatch(destination);
    }
}
