package dev.mbus.core.engine;

import dev.mbus.core.InvalidDatagramException;
import dev.mbus.core.awareness.PeerKind;
import dev.mbus.core.codec.DatagramCodec;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.Message;
import dev.mbus.core.reliable.PendingAcks;
import dev.mbus.core.reliable.ReceiveSequencer;
import dev.mbus.core.reliable.ReliableWindow;
import dev.mbus.core.reliable.SenderHistory;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * What happens to every datagram that arrives, on the transport's receive thread, in this order:
 * authenticate and parse; drop what is not fresh; drop what its sender sent before its bye, what
 * was heard before (acknowledging a reliable one again) and what predates the sender's current
 * run; note the sender as alive; apply the acknowledgements it carries; refuse a reliable message
 * whose place in the order has passed; admit it if there is room for its handlers (else drop an
 * unreliable one, and leave a reliable one unacknowledged for its sender to retransmit); owe the
 * acknowledgement; then sequence it, which delivers it to the {@link CommandRouter} in the
 * sender's order or holds it behind a gap.
 *
 * <p>So acknowledgements are applied only from authentic, fresh, new messages, and sent only
 * for admitted ones.
 *
 * <p>A reliable message is admitted within the {@link InboundBudget} even when its sender's
 * handler queue is past its bound. Its acknowledgement then waits until its handlers take it
 * from the queue, and so it does when its sender's messages, or all messages, already hold half
 * their byte bound (say behind a gap). So a sender that outruns the handlers, or a lost datagram,
 * is held back by its own reliable window, at the pace the handlers keep, instead of being
 * refused and failing once its retransmissions run out. A retransmission of such a message is
 * not acknowledged either, or every retransmission would open the window again and deepen the
 * queue, until half a reliable lifetime has passed since the message was taken: then only the
 * sender's last retransmissions are left, and a handler that stalls that long must not make its
 * sender fail what will still be handled.
 */
final class InboundPipeline {

    /**
     * A message admitted for its handlers, and what it is charged in the {@link InboundBudget};
     * {@code ackWhenTaken}: a reliable message whose acknowledgement waits for its handlers.
     */
    record Delivery(Message message, InetSocketAddress sender, int bytes, boolean ackWhenTaken) {
    }

    /** A reliable message taken whose acknowledgement waits for its handlers. */
    private record AwaitingHandlers(Address source, long sequence) {
    }

    /**
     * Heap a decoded message takes beyond its text and its commands, with what a sender's first
     * message makes the entity keep for it (measured: about 1 KB, in a flood from 200,000 sources).
     */
    private static final int HELD_MESSAGE_OVERHEAD = 1024;
    /** Heap each command and its queued call take beyond its text (measured: about 115 bytes). */
    private static final int HELD_COMMAND_OVERHEAD = 160;

    private final Address address;
    private final DatagramCodec codec;
    private final MbusClock clock;
    private final long freshnessMillis;
    private final boolean receiveAll;
    private final SenderHistory<Delivery> history;
    private final Awareness awareness;
    private final ReliableWindow window;
    private final PendingAcks acks;
    private final InboundBudget budget;
    private final OrderedDispatcher dispatcher;
    private final MessageSender sender;
    private final CommandRouter router;
    private final EntityCounters counters;
    private final BooleanSupplier running;
    /** When each message whose acknowledgement waits for its handlers was taken. */
    private final Map<AwaitingHandlers, Long> awaitingHandlers = new ConcurrentHashMap<>();
    /** How long a retransmission of such a message goes unacknowledged: half a reliable lifetime. */
    private final long ackRetransmissionAfterNanos;
    /** Bytes held, in all and by one sender, below which a reliable message is acknowledged as soon as it is taken. */
    private final long ackAtOnceBelow;
    private final long ackAtOnceBelowPerSender;
    /** A message that alone would cost more is charged this, so that it can still be taken when nothing else is held. */
    private final long maxChargePerMessage;
    /** Senders with messages held behind a gap, for the timer to look at; by address, so the order of visits repeats. */
    private final Map<Address, SenderHistory.Sender<Delivery>> holding = new ConcurrentHashMap<>();

    InboundPipeline(EntityConfig config, DatagramCodec codec, SenderHistory<Delivery> history, Awareness awareness,
            ReliableWindow window, PendingAcks acks, InboundBudget budget, OrderedDispatcher dispatcher,
            MessageSender sender, CommandRouter router, EntityCounters counters, BooleanSupplier running) {
        this.address = config.address();
        this.codec = codec;
        this.clock = config.clock();
        this.freshnessMillis = config.freshness().toMillis();
        this.receiveAll = config.receiveAll();
        this.history = history;
        this.awareness = awareness;
        this.window = window;
        this.acks = acks;
        this.budget = budget;
        this.dispatcher = dispatcher;
        this.sender = sender;
        this.router = router;
        this.counters = counters;
        this.running = running;
        this.ackRetransmissionAfterNanos = window.lifetimeNanos() / 2;
        // The other half is room for what a sender's window holds unacknowledged: by default 1 MiB of
        // datagrams, which costs a few MiB held. Not less than half is acknowledged at once, since an
        // acknowledgement that waits lets retransmissions go unanswered, and through a lossy network
        // each of them is a chance to get one through.
        this.ackAtOnceBelow = config.maxInboundBytes() / 2;
        this.ackAtOnceBelowPerSender = config.maxInboundBytesPerSender() / 2;
        this.maxChargePerMessage = config.maxInboundBytesPerSender();
    }

    void onDatagram(byte[] buffer, int offset, int length, InetSocketAddress from) {
        Message message;
        try {
            message = codec.decodeRepeated(buffer, offset, length);
        } catch (InvalidDatagramException e) {
            counters.dropped(e.reason());
            return;
        }
        Address source = message.source();
        if (source.equals(address) || !running.getAsBoolean()) {
            return;
        }
        if (Math.abs(message.timestamp() - clock.currentTimeMillis()) > freshnessMillis) {
            counters.dropped(InvalidDatagramException.Reason.STALE);
            return;
        }
        long now = clock.nanoTime();
        SenderHistory.Sender<Delivery> record = history.heard(source, now);
        synchronized (record) {
            take(message, length, from, record, now);
        }
    }

    private void take(Message message, int length, InetSocketAddress from, SenderHistory.Sender<Delivery> record,
            long now) {
        Address source = message.source();
        long sequence = message.sequence();
        boolean forUs = message.destination().matches(address);
        boolean mustAck = forUs && message.reliable();
        if (record.sentBeforeBye(sequence, message.timestamp())) {
            counters.duplicates.increment();
            return;
        }
        ReceiveSequencer<Delivery> sequencer = record.sequencer();
        boolean newEndpoint = record.isNewEndpoint(from);
        ReceiveSequencer.Verdict verdict = sequencer.check(sequence, message.timestamp(), newEndpoint);
        switch (verdict) {
            case STALE -> {
                counters.dropped(InvalidDatagramException.Reason.STALE);
                return;
            }
            case DUPLICATE -> {
                counters.duplicates.increment();
                if (mustAck && !holdsItsSenderBack(source, sequence, now)) {
                    owe(source, sequence, now); // its acknowledgement may have been lost
                }
                return;
            }
            default -> {
            }
        }
        counters.received.increment();
        record.tookFrom(from);
        awareness.heard(source, from, PeerKind.isOurHello(message), now);
        if (forUs) {
            for (Long acknowledged : message.acks()) {
                window.acknowledge(acknowledged, source);
            }
        }
        if (verdict == ReceiveSequencer.Verdict.LATE && mustAck) {
            counters.late.increment();
            return;
        }
        Delivery delivery = null;
        boolean ackNow = mustAck;
        if ((forUs || receiveAll) && !message.commands().isEmpty()) {
            int charge = heldCost(length, message.commands().size());
            boolean queueHasRoom = dispatcher.hasRoom(source);
            boolean holdsLittle = budget.used() < ackAtOnceBelow && budget.heldBy(source) < ackAtOnceBelowPerSender;
            if ((queueHasRoom || mustAck) && budget.tryTake(source, charge)) {
                ackNow = mustAck && queueHasRoom && holdsLittle;
                delivery = new Delivery(message, from, charge, mustAck && !ackNow);
                if (delivery.ackWhenTaken()) {
                    awaitingHandlers.put(new AwaitingHandlers(source, sequence), now);
                }
            } else {
                counters.overloaded.increment();
                if (mustAck) {
                    return; // not heard, not acknowledged: its sender will retransmit it
                }
            }
        }
        if (ackNow) {
            // Owed before the handlers run, so that a quick reply can carry it.
            owe(source, sequence, now);
        }
        if (sequencer.accept(sequence, message.timestamp(), newEndpoint, mustAck, delivery, now, this::deliver)
                == ReceiveSequencer.Outcome.HELD) {
            SenderHistory.Sender<Delivery> displaced = holding.put(source, record);
            if (displaced != null && displaced != record) {
                // The history forgot this sender while it had messages held: they were acknowledged.
                synchronized (displaced) {
                    displaced.sequencer().releaseAll(this::deliver);
                }
            }
        }
        if (forUs && saysBye(message)) {
            record.departed(sequence, message.timestamp());
        }
    }

    /** In the sender's order: an acknowledgement that waits for the handlers is queued ahead of their calls. */
    private void deliver(Delivery delivery) {
        if (delivery.ackWhenTaken()) {
            Message message = delivery.message();
            dispatcher.submit(message.source(), () -> acknowledgeTaken(message.source(), message.sequence()), true);
        }
        router.deliver(delivery);
    }

    /** Whether a retransmission of this message must go unacknowledged, to hold its sender back. */
    private boolean holdsItsSenderBack(Address source, long sequence, long now) {
        Long taken = awaitingHandlers.get(new AwaitingHandlers(source, sequence));
        return taken != null && now - taken < ackRetransmissionAfterNanos;
    }

    /** On a handler thread, as the handlers take the message: acknowledge it now, bare. */
    private void acknowledgeTaken(Address source, long sequence) {
        awaitingHandlers.remove(new AwaitingHandlers(source, sequence));
        if (running.getAsBoolean()) {
            owe(source, sequence, clock.nanoTime());
            sender.sendAllOwedAcks();
        }
    }

    private static boolean saysBye(Message message) {
        for (Command command : message.commands()) {
            if (command.name().equals("mbus.bye")) {
                return true;
            }
        }
        return false;
    }

    /**
     * What a message of {@code length} bytes and {@code commands} commands costs the heap while held:
     * its text, and the decoded objects and queued calls of each command, which outweigh the text
     * of a short command several times over.
     */
    private int heldCost(int length, int commands) {
        return (int) Math.min(length + HELD_MESSAGE_OVERHEAD + (long) HELD_COMMAND_OVERHEAD * commands,
                maxChargePerMessage);
    }

    private void owe(Address source, long sequence, long now) {
        PendingAcks.Batch full = acks.add(source, sequence, now);
        if (full != null) {
            sender.sendBareAck(full);
        }
    }

    /** Nothing more is waiting to be read: acknowledge now rather than after T_c. */
    void onIdle() {
        if (running.getAsBoolean()) {
            sender.sendAllOwedAcks();
        }
    }

    /**
     * Hands every held message to the handlers, giving up the gaps before them: the entity is
     * closing and will hear no retransmission, and each of them was acknowledged.
     */
    void releaseAllHeld() {
        holding.forEach((source, record) -> {
            synchronized (record) {
                record.sequencer().releaseAll(this::deliver);
                holding.remove(source, record);
            }
        });
    }

    /** Whether messages are held for a gap: their hold ends on a tick. */
    boolean isHolding() {
        return !holding.isEmpty();
    }

    /** Gives up the gaps that held messages have waited behind long enough. */
    void onTimer(long now) {
        holding.forEach((source, record) -> {
            synchronized (record) {
                record.sequencer().onTimer(now, this::deliver);
                if (record.sequencer().held() == 0) {
                    holding.remove(source, record);
                }
            }
        });
    }
}
