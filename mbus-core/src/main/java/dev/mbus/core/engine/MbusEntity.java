package dev.mbus.core.engine;

import dev.mbus.core.DeliveryException;
import dev.mbus.core.DeliveryException.Reason;
import dev.mbus.core.InvalidDatagramException;
import dev.mbus.core.MbusException;
import dev.mbus.core.awareness.HelloSchedule;
import dev.mbus.core.awareness.Peer;
import dev.mbus.core.awareness.PeerTable;
import dev.mbus.core.codec.DatagramCodec;
import dev.mbus.core.codec.MessageCodec;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.CommandPattern;
import dev.mbus.core.message.MbusValue;
import dev.mbus.core.message.Message;
import dev.mbus.core.message.StringValue;
import dev.mbus.core.reliable.PendingAcks;
import dev.mbus.core.reliable.ReceiveSequencer;
import dev.mbus.core.reliable.ReliableWindow;
import dev.mbus.core.security.DatagramSecurity;
import dev.mbus.core.transport.DatagramReceiver;
import dev.mbus.core.transport.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * One Mbus entity: joins the bus, finds its peers, sends and receives unreliable and reliable
 * messages (protocol §5-8). Create it with {@link #start(EntityConfig)}, close it to leave.
 *
 * <p>Threads: the transport's receive thread authenticates, parses and sequences datagrams and
 * sends acknowledgements; handlers and event listeners run on the handler executor, one at a time
 * per sender and in that sender's order; a timer thread retransmits, says hello and expires
 * silent peers. Futures of reliable sends complete on the receive or timer thread: chain slow
 * work with the {@code ...Async} methods.
 */
public final class MbusEntity implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(MbusEntity.class.getName());
    private static final Address BROADCAST = Address.BROADCAST;
    private static final Command HELLO = new Command("mbus.hello", List.of());
    private static final Command BYE = new Command("mbus.bye", List.of());
    private static final String RETURN_SUFFIX = ".return";
    /** Header bytes of a message besides its two addresses, with the widest sequence number and timestamp. */
    private static final int HEADER_BYTES_BESIDES_ADDRESSES = "mbus/1.0 4294967295 9999999999999 R   ()\n".length();
    /** Bytes one number takes in an ack list, separator included. */
    private static final int ACK_BYTES = " 4294967295".length();

    private enum State { NEW, RUNNING, CLOSING, CLOSED }

    private final EntityConfig config;
    private final Address address;
    private final DatagramCodec codec;
    private final Transport transport;
    private final MbusClock clock;
    private final ProtocolTimers timers;
    private final PeerTable peers;
    private final HelloSchedule hello;
    private final ReliableWindow window;
    private final PendingAcks acks;
    private final Outbox outbox;
    /** Bytes of text a batched message may have: its datagram then fits the batching limit. */
    private final int batchTextBytes;
    private final Map<Address, ReceiveSequencer<Delivery>> sequencers = new ConcurrentHashMap<>();
    private final OrderedDispatcher dispatcher;
    private final ExecutorService ownExecutor;
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final List<Consumer<MbusEvent>> listeners = new CopyOnWriteArrayList<>();
    private final Waiters<IncomingCommand, IncomingCommand> replies = new Waiters<>();
    private final Waiters<MbusEvent.GoReceived, Address> goes = new Waiters<>();
    private final Waiters<Peer, Peer> peerWaiters = new Waiters<>();
    private final List<Rendezvous> rendezvous = new CopyOnWriteArrayList<>();
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final Object sequenceLock = new Object();
    private long nextSequence = 1;
    private volatile long nextHelloNanos;
    private volatile long lastHelloNanos;
    private ScheduledExecutorService timerThread;

    private final LongAdder sent = new LongAdder();
    private final LongAdder commandsSent = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder retransmissions = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder overloaded = new LongAdder();
    private final LongAdder invocations = new LongAdder();
    private final LongAdder handlerErrors = new LongAdder();
    private final Map<InvalidDatagramException.Reason, LongAdder> dropped = new EnumMap<>(InvalidDatagramException.Reason.class);

    /** A message on its way to handlers, with where its datagram came from. */
    private record Delivery(Message message, InetSocketAddress sender) {
    }

    private record Route(String pattern, CommandHandler handler) {
    }

    private record Rendezvous(Address destination, String token, CompletableFuture<Address> future, long[] nextRepeat) {
    }

    private MbusEntity(EntityConfig config) {
        this.config = config;
        this.address = config.address();
        this.codec = new DatagramCodec(new DatagramSecurity(config.keys()), new MessageCodec(config.codecLimits()));
        this.transport = config.openTransport();
        this.clock = config.clock();
        this.timers = config.timers();
        this.peers = new PeerTable(config.maxPeers());
        this.hello = new HelloSchedule(timers.helloMin().toNanos(), timers.helloFactor().toNanos(),
                timers.helloDeadIntervals(), config.random());
        this.window = new ReliableWindow(config.reliableWindow(), timers.retransmitBase().toNanos(),
                timers.maxRetransmissions());
        this.acks = new PendingAcks(config.maxAcksPerMessage());
        this.batchTextBytes = textBytesFitting(config.batching().maxDatagramBytes());
        int ownAddressBytes = codec.messages().encodedLength(address);
        this.outbox = new Outbox(config.batching(), clock,
                destination -> batchTextBytes - HEADER_BYTES_BESIDES_ADDRESSES - ownAddressBytes
                        - codec.messages().encodedLength(destination),
                codec.messages()::encodedLength, this::transmitMessage, this::flushAt, this::closedException);
        if (config.handlerExecutor() != null) {
            this.ownExecutor = null;
            this.dispatcher = new OrderedDispatcher(config.handlerExecutor(), config.maxQueuedPerSender());
        } else {
            this.ownExecutor = newHandlerPool(address);
            this.dispatcher = new OrderedDispatcher(ownExecutor, config.maxQueuedPerSender());
        }
        for (InvalidDatagramException.Reason reason : InvalidDatagramException.Reason.values()) {
            dropped.put(reason, new LongAdder());
        }
        listeners.addAll(config.eventListeners());
    }

    /** Creates the entity, joins the bus and says hello. */
    public static MbusEntity start(EntityConfig config) {
        MbusEntity entity = create(config);
        entity.start();
        return entity;
    }

    /**
     * Creates the entity without joining the bus yet, so that handlers and listeners can be in
     * place before anyone can address it; {@link #start()} joins.
     */
    public static MbusEntity create(EntityConfig config) {
        return new MbusEntity(config);
    }

    /** Joins the bus and says hello; once only. */
    public void start() {
        if (state.get() != State.NEW) {
            throw new IllegalStateException("entity " + address + " is already " + state.get().name().toLowerCase());
        }
        try {
            transport.start(new Receiver());
        } catch (RuntimeException e) {
            transport.close();
            throw e;
        }
        state.set(State.RUNNING);
        long now = clock.nanoTime();
        sayHello(now);
        if (config.timerThread()) {
            long tick = timers.tick().toNanos();
            timerThread = Executors.newSingleThreadScheduledExecutor(daemon("mbus-timer-" + address.get("id")));
            timerThread.scheduleAtFixedRate(this::runTimersSafely, tick, tick, TimeUnit.NANOSECONDS);
        }
    }

    // ---------------------------------------------------------------- sending

    /** This entity's own address. */
    public Address address() {
        return address;
    }

    /** Sends {@code commands} in one unreliable message; every entity {@code destination} matches gets it. */
    public void send(Address destination, Command... commands) {
        send(destination, List.of(commands));
    }

    /** Sends {@code commands} in one unreliable message. */
    public void send(Address destination, List<Command> commands) {
        requireRunning();
        outbox.send(destination, commands);
    }

    /**
     * Sends now the commands waiting in a batch (see {@link Batching}), rather than at most the
     * batching linger later.
     */
    public void flush() {
        requireRunning();
        outbox.flush();
    }

    /**
     * Sends {@code commands} in one reliable message to the one entity {@code destination}
     * matches. Waits while the reliable window is full. The future completes when the entity
     * acknowledges, or fails with a {@link DeliveryException} whose reason tells why.
     */
    public CompletableFuture<Void> sendReliable(Address destination, Command... commands) {
        return sendReliable(destination, List.of(commands));
    }

    /** Sends {@code commands} in one reliable message; see {@link #sendReliable(Address, Command...)}. */
    public CompletableFuture<Void> sendReliable(Address destination, List<Command> commands) {
        if (state.get() != State.RUNNING) {
            return CompletableFuture.failedFuture(closedException());
        }
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        // Written once here, so that a command that cannot be written fails before it takes room in the window.
        int bytes = codec.messages().encodedLength(commands);
        try {
            Peer peer = uniquePeer(destination);
            if (outbox.joinReliable(destination, commands, bytes, outcome)) {
                return counted(outcome);
            }
            if (!window.acquire(() -> state.get() != State.RUNNING)) {
                return CompletableFuture.failedFuture(closedException());
            }
            try {
                outbox.sendReliable(destination, peer.address(), commands, bytes, outcome);
            } catch (DeliveryException e) {
                window.release(); // closed before the message could take its place
                throw e;
            }
        } catch (DeliveryException e) {
            return CompletableFuture.failedFuture(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(new DeliveryException(Reason.CLOSED, "interrupted while the reliable window was full"));
        }
        return counted(outcome);
    }

    private CompletableFuture<Void> counted(CompletableFuture<Void> outcome) {
        outcome.whenComplete((ok, error) -> (error == null ? acknowledged : failed).increment());
        return outcome;
    }

    /**
     * Sends {@code command} reliably to the one entity {@code destination} matches and waits for
     * its reply: the command {@code <name>.return} from that entity (the convention of gmbus,
     * protocol §10). Replies are matched to requests in order per entity and command.
     */
    public CompletableFuture<IncomingCommand> request(Address destination, Command command, Duration timeout) {
        Peer peer;
        try {
            requireRunning();
            peer = uniquePeer(destination);
        } catch (DeliveryException e) {
            return CompletableFuture.failedFuture(e);
        }
        String replyName = command.name() + RETURN_SUFFIX;
        Address responder = peer.address();
        CompletableFuture<IncomingCommand> reply = replies.add(
                in -> in.source().equals(responder) && in.name().equals(replyName), in -> in,
                clock.nanoTime() + timeout.toNanos(),
                "no " + replyName + " from " + responder + " within " + timeout.toMillis() + " ms");
        sendReliable(destination, command).whenComplete((ok, error) -> {
            if (error != null) {
                reply.completeExceptionally(error);
            }
        });
        return reply;
    }

    /** Answers a request: sends {@code <name>.return (values)} reliably to its source. */
    public CompletableFuture<Void> reply(IncomingCommand request, List<?> values) {
        return sendReliable(request.source(), Command.of(request.name() + RETURN_SUFFIX, values.toArray()));
    }

    /**
     * Rendezvous (protocol §7): repeats {@code mbus.waiting(token)} to {@code destination} until
     * an entity answers {@code mbus.go(token)}. Completes with the address of that entity.
     */
    public CompletableFuture<Address> awaitGo(Address destination, String token, Duration timeout) {
        requireRunning();
        CompletableFuture<Address> go = goes.add(heard -> heard.token().equals(token), MbusEvent.GoReceived::source,
                clock.nanoTime() + timeout.toNanos(),
                "no mbus.go(\"" + token + "\") within " + timeout.toMillis() + " ms");
        Rendezvous wait = new Rendezvous(destination, token, go, new long[] {clock.nanoTime()});
        rendezvous.add(wait);
        go.whenComplete((who, error) -> rendezvous.remove(wait));
        repeatWaiting(clock.nanoTime());
        return go;
    }

    /** Releases entities waiting for {@code token}: reliably when one entity matches, else unreliably. */
    public CompletableFuture<Void> sendGo(Address destination, String token) {
        Command go = Command.of("mbus.go", token);
        if (uniquePeerOrNull(destination) != null) {
            return sendReliable(destination, go);
        }
        send(destination, go);
        return CompletableFuture.completedFuture(null);
    }

    /** Completes when an entity that {@code destination} matches is known, at once if one is. */
    public CompletableFuture<Peer> awaitPeer(Address destination, Duration timeout) {
        List<Peer> known = peers.matching(destination);
        if (!known.isEmpty()) {
            return CompletableFuture.completedFuture(known.get(0));
        }
        CompletableFuture<Peer> found = peerWaiters.add(peer -> destination.matches(peer.address()), peer -> peer,
                clock.nanoTime() + timeout.toNanos(),
                "no entity matching " + destination + " heard within " + timeout.toMillis() + " ms");
        peers.matching(destination).stream().findFirst().ifPresent(peer -> peerWaiters.offer(peer, false));
        return found;
    }

    // ---------------------------------------------------------------- receiving

    /**
     * Routes commands whose name matches {@code pattern} to {@code handler}: an exact name, a
     * prefix pattern such as {@code tool.rat.*}, or {@code *}.
     */
    public Subscription subscribe(String pattern, CommandHandler handler) {
        if (!CommandPattern.isValid(pattern)) {
            throw new IllegalArgumentException("not a command pattern: " + pattern);
        }
        Route route = new Route(pattern, handler);
        routes.add(route);
        return () -> routes.remove(route);
    }

    /** Listens to peer events, quit requests and rendezvous; runs like a handler, in order per source. */
    public Subscription onEvent(Consumer<MbusEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** The peers known now. */
    public List<Peer> peers() {
        return peers.snapshot();
    }

    public boolean isRunning() {
        return state.get() == State.RUNNING;
    }

    /** The transport's own description: group, port, interface, scope. */
    public String describeTransport() {
        return transport.describe();
    }

    /** The endpoint this entity's datagrams come from. */
    public InetSocketAddress localEndpoint() {
        return transport.localEndpoint();
    }

    public EntityStats stats() {
        Map<InvalidDatagramException.Reason, Long> drops = new EnumMap<>(InvalidDatagramException.Reason.class);
        dropped.forEach((reason, count) -> drops.put(reason, count.sum()));
        return new EntityStats(sent.sum(), commandsSent.sum(), received.sum(), acknowledged.sum(), failed.sum(), retransmissions.sum(),
                window.inFlight(), drops, duplicates.sum(), overloaded.sum(), invocations.sum(), handlerErrors.sum(),
                peers.size());
    }

    private final class Receiver implements DatagramReceiver {
        @Override
        public void receive(byte[] buffer, int offset, int length, InetSocketAddress sender) {
            onDatagram(buffer, offset, length, sender);
        }

        @Override
        public void idle() {
            // Nothing more is waiting to be read: acknowledge now rather than after T_c.
            for (PendingAcks.Batch batch : acks.takeAll()) {
                sendBareAck(batch);
            }
        }
    }

    private void onDatagram(byte[] buffer, int offset, int length, InetSocketAddress sender) {
        Message message;
        try {
            message = codec.decode(buffer, offset, length);
        } catch (InvalidDatagramException e) {
            dropped.get(e.reason()).increment();
            return;
        }
        Address source = message.source();
        if (source.equals(address) || state.get() != State.RUNNING) {
            return;
        }
        received.increment();
        long now = clock.nanoTime();
        PeerTable.Heard heard = peers.heard(source, sender, message.sequence(), message.timestamp(), now,
                clock.currentTimeMillis());
        if (heard == null) {
            overloaded.increment();
            return;
        }
        if (heard == PeerTable.Heard.DEPARTED) {
            duplicates.increment();
            return;
        }
        if (heard == PeerTable.Heard.NEW) {
            onPeerJoined(peers.get(source), now);
        } else if (heard == PeerTable.Heard.MOVED) {
            greetSoon(now); // Most likely restarted: it knows nobody yet.
        }
        boolean forUs = message.destination().matches(address);
        if (forUs) {
            for (Long sequence : message.acks()) {
                window.acknowledge(sequence, source);
            }
        }
        boolean mustAck = forUs && message.reliable();
        if (mustAck && !dispatcher.hasRoom(source)) {
            overloaded.increment(); // Unacknowledged: the sender will retransmit it later.
            return;
        }
        if (mustAck) {
            // Owed before the handlers run, so that a quick reply can carry it.
            PendingAcks.Batch full = acks.add(source, sender, message.sequence(), now);
            if (full != null) {
                sendBareAck(full);
            }
        }
        boolean deliverable = (forUs || config.receiveAll()) && !message.commands().isEmpty();
        ReceiveSequencer<Delivery> sequencer = sequencers.computeIfAbsent(source,
                key -> new ReceiveSequencer<>(timers.reorderHold().toNanos()));
        ReceiveSequencer.Outcome outcome;
        synchronized (sequencer) {
            outcome = sequencer.accept(message.sequence(), message.timestamp(), mustAck,
                    deliverable ? new Delivery(message, sender) : null, now, this::deliver);
        }
        if (outcome == ReceiveSequencer.Outcome.DUPLICATE) {
            duplicates.increment();
        }
    }

    /** Called in the sender's order, under its sequencer's lock. */
    private void deliver(Delivery delivery) {
        Message message = delivery.message;
        Address source = message.source();
        boolean forUs = message.destination().matches(address);
        for (Command command : message.commands()) {
            IncomingCommand incoming = new IncomingCommand(command, message, delivery.sender);
            if (forUs && handleProtocolCommand(incoming)) {
                continue;
            }
            for (Route route : routes) {
                if (CommandPattern.matches(route.pattern, command.name())) {
                    dispatch(source, () -> invoke(route.handler, incoming), forUs && message.reliable());
                }
            }
        }
    }

    /** The mbus.* commands of protocol §7 and replies; returns true when nothing else should see it. */
    private boolean handleProtocolCommand(IncomingCommand incoming) {
        Address source = incoming.source();
        switch (incoming.name()) {
            case "mbus.bye" -> {
                Peer gone = forget(source);
                peers.departed(source, incoming.message().sequence(), incoming.message().timestamp(), clock.nanoTime());
                if (gone != null) {
                    publish(source, new MbusEvent.PeerLeft(gone, MbusEvent.LeaveReason.BYE));
                }
            }
            case "mbus.ping" -> sendNow(source, HELLO);
            case "mbus.quit" -> publish(source, new MbusEvent.QuitRequested(source));
            case "mbus.waiting" -> publish(source, new MbusEvent.WaitingReceived(source, tokenOf(incoming)));
            case "mbus.go" -> {
                MbusEvent.GoReceived go = new MbusEvent.GoReceived(source, tokenOf(incoming));
                goes.offer(go, false);
                publish(source, go);
            }
            default -> {
                return incoming.name().endsWith(RETURN_SUFFIX) && replies.offer(incoming, true);
            }
        }
        return false;
    }

    private static String tokenOf(IncomingCommand incoming) {
        if (incoming.command().args().isEmpty()) {
            return "";
        }
        MbusValue token = incoming.arg(0);
        return token instanceof StringValue text ? text.value() : token.toString();
    }

    private void invoke(CommandHandler handler, IncomingCommand incoming) {
        invocations.increment();
        try {
            handler.handle(incoming);
        } catch (Exception | LinkageError | AssertionError e) {
            handlerErrors.increment();
            if (config.errorHandler() != null) {
                config.errorHandler().accept(incoming, e);
            } else {
                LOG.log(System.Logger.Level.WARNING, "handler for " + incoming.name() + " from " + incoming.source()
                        + " failed: " + e, e);
            }
        }
    }

    /**
     * Queues a handler call. The calls of a reliable message addressed to this entity are
     * {@code admitted}: queued even on a full queue, since the message was let in and acknowledged.
     */
    private void dispatch(Address source, Runnable task, boolean admitted) {
        if (!dispatcher.submit(source, task, admitted)) {
            overloaded.increment();
        }
    }

    private void publish(Address source, MbusEvent event) {
        for (Consumer<MbusEvent> listener : listeners) {
            dispatch(source, () -> {
                try {
                    listener.accept(event);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "event listener failed on " + event + ": " + e, e);
                }
            }, false);
        }
    }

    private void onPeerJoined(Peer peer, long now) {
        if (peer == null) {
            return;
        }
        publish(peer.address(), new MbusEvent.PeerJoined(peer));
        peerWaiters.offer(peer, false);
        greetSoon(now);
    }

    /**
     * Says hello soon, so that a newcomer learns of this entity without waiting a whole
     * interval: at the next tick, but no sooner than a tenth of c_hello_min after the last hello,
     * so that many joining at once cause no storm.
     */
    private void greetSoon(long now) {
        long soonest = Math.max(now + timers.tick().toNanos(), lastHelloNanos + timers.helloMin().toNanos() / 10);
        if (soonest - nextHelloNanos < 0) {
            nextHelloNanos = soonest;
        }
    }

    private Peer forget(Address peer) {
        sequencers.remove(peer);
        acks.forget(peer);
        return peers.remove(peer);
    }

    // ---------------------------------------------------------------- timers

    /**
     * Does every timed duty that is due: retransmissions and failures of reliable sends, bare
     * acknowledgements older than T_c, held messages whose gap will not fill, hello, silent peers,
     * rendezvous repeats and timeouts. The entity's timer thread calls it every tick; a test that
     * drives a manual clock calls it itself.
     */
    public void runTimers() {
        if (state.get() != State.RUNNING) {
            return;
        }
        long now = clock.nanoTime();
        outbox.flushDue();
        window.onTimer(now, message -> {
            retransmissions.increment();
            transmit(message.datagram(), peers.get(message.peer()));
        });
        for (PendingAcks.Batch batch : acks.takeOverdue(now - timers.ackDelay().toNanos())) {
            sendBareAck(batch);
        }
        for (ReceiveSequencer<Delivery> sequencer : sequencers.values()) {
            synchronized (sequencer) {
                if (sequencer.held() > 0) {
                    sequencer.onTimer(now, this::deliver);
                }
            }
        }
        if (now - nextHelloNanos >= 0) {
            sayHello(now);
        }
        for (Peer gone : peers.expire(now - hello.deadAfterNanos(peers.size()))) {
            forget(gone.address());
            publish(gone.address(), new MbusEvent.PeerLeft(gone, MbusEvent.LeaveReason.TIMEOUT));
        }
        repeatWaiting(now);
        replies.expire(now);
        goes.expire(now);
        peerWaiters.expire(now);
    }

    private void runTimersSafely() {
        try {
            runTimers();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "timer duty failed: " + e, e);
        }
    }

    private void sayHello(long now) {
        lastHelloNanos = now;
        nextHelloNanos = now + hello.nextIntervalNanos(peers.size());
        sendNow(BROADCAST, HELLO);
    }

    private void repeatWaiting(long now) {
        for (Rendezvous wait : rendezvous) {
            if (now - wait.nextRepeat[0] >= 0) {
                wait.nextRepeat[0] = now + timers.waitingInterval().toNanos();
                sendNow(wait.destination, Command.of("mbus.waiting", wait.token));
            }
        }
    }

    // ---------------------------------------------------------------- plumbing

    private Message compose(boolean reliable, Address destination, List<Long> acknowledging, List<Command> commands) {
        synchronized (sequenceLock) {
            long sequence = nextSequence;
            nextSequence = sequence == Message.MAX_SEQUENCE ? 0 : sequence + 1;
            return new Message(sequence, clock.currentTimeMillis(), reliable, address, destination, acknowledging, commands);
        }
    }

    /** A protocol command of this entity's own: out at once, never behind a batch. */
    private void sendNow(Address destination, Command command) {
        transmitMessage(destination, null, false, List.of(command), List.of(), -1);
    }

    /**
     * Makes one message of {@code commands} and sends it; for a reliable one, the caller has
     * made room in the window, which this gives back if the message cannot be written.
     * Piggybacks what is owed to the destination, within {@code budget} bytes when it is not -1.
     * The outbox calls it under its lock; the entity's own protocol commands go straight here.
     */
    private void transmitMessage(Address destination, Address peer, boolean reliable, List<Command> commands,
            List<CompletableFuture<Void>> outcomes, int budget) {
        Peer target = peer != null ? peers.get(peer)
                // Resolving the destination only pays when it can carry acks or go by unicast.
                : (config.unicast() && peers.size() == 1) || !acks.isEmpty() ? uniquePeerOrNull(destination) : null;
        int maxAcks = budget < 0 ? Integer.MAX_VALUE : budget / ACK_BYTES;
        List<Long> acknowledging = target == null ? List.of() : acks.take(target.address(), maxAcks);
        Message message = compose(reliable, destination, acknowledging, commands);
        byte[] datagram;
        try {
            datagram = codec.encode(message);
        } catch (RuntimeException e) {
            if (reliable) {
                window.release();
                outcomes.forEach(outcome -> outcome.completeExceptionally(e));
            }
            throw e;
        }
        if (reliable) {
            window.register(message.sequence(), peer, datagram, oneOutcome(outcomes), clock.nanoTime());
        }
        sent.increment();
        commandsSent.add(commands.size());
        transmit(datagram, target);
    }

    /** The future the window completes for a message: the send's own, or one that completes every batched send's. */
    private static CompletableFuture<Void> oneOutcome(List<CompletableFuture<Void>> outcomes) {
        if (outcomes.size() == 1) {
            return outcomes.get(0);
        }
        CompletableFuture<Void> all = new CompletableFuture<>();
        all.whenComplete((ok, error) -> outcomes.forEach(outcome -> {
            if (error == null) {
                outcome.complete(null);
            } else {
                outcome.completeExceptionally(error);
            }
        }));
        return all;
    }

    /** The outbox's alarm: a flush on the timer thread, or at the next {@link #runTimers()} without one. */
    private void flushAt(long nanos) {
        ScheduledExecutorService timer = timerThread;
        if (timer == null) {
            return;
        }
        try {
            timer.schedule(this::flushDueSafely, nanos - clock.nanoTime(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // Closing: close() flushes.
        }
    }

    private void flushDueSafely() {
        try {
            outbox.flushDue();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "sending a batch failed: " + e, e);
        }
    }

    /** The longest message text whose datagram (digest line, padding) fits {@code datagramBytes}. */
    private int textBytesFitting(int datagramBytes) {
        int text = datagramBytes - DatagramSecurity.HEADER_BYTES;
        while (codec.datagramLength(text) > datagramBytes) {
            text--;
        }
        return text;
    }

    private void sendBareAck(PendingAcks.Batch batch) {
        if (state.get() == State.CLOSED) {
            return;
        }
        Message ack = compose(false, batch.peer(), batch.sequences(), List.of());
        transmit(codec.encode(ack), peers.get(batch.peer()));
    }

    /**
     * To the group, or straight to {@code peer} when unicast is on and it is the only entity
     * known: then no other entity this one knows of misses the message, so every receiver still
     * sees all of this entity's sequence numbers, which its gap-based ordering relies on.
     */
    private void transmit(byte[] datagram, Peer peer) {
        if (config.unicast() && peer != null && peers.size() == 1) {
            transport.sendTo(peer.endpoint(), datagram, 0, datagram.length);
        } else {
            transport.sendToGroup(datagram, 0, datagram.length);
        }
    }

    private Peer uniquePeer(Address destination) {
        List<Peer> matching = peers.matching(destination);
        if (matching.size() == 1) {
            return matching.get(0);
        }
        if (matching.isEmpty()) {
            throw new DeliveryException(Reason.UNKNOWN_DESTINATION, "no known entity matches " + destination);
        }
        throw new DeliveryException(Reason.DESTINATION_NOT_UNIQUE,
                matching.size() + " known entities match " + destination + "; a reliable message needs exactly one");
    }

    private Peer uniquePeerOrNull(Address destination) {
        if (destination.isBroadcast()) {
            return null;
        }
        List<Peer> matching = peers.matching(destination);
        return matching.size() == 1 ? matching.get(0) : null;
    }

    private void requireRunning() {
        if (state.get() != State.RUNNING) {
            throw closedException();
        }
    }

    private DeliveryException closedException() {
        return new DeliveryException(Reason.CLOSED, "entity " + address + " is " + state.get().name().toLowerCase());
    }

    // ---------------------------------------------------------------- closing

    /** Leaves at once: see {@link #close(Duration)} with no time to drain. */
    @Override
    public void close() {
        close(Duration.ZERO);
    }

    /**
     * Leaves the bus. Waits up to {@code drain} for reliable sends in flight to be acknowledged
     * and for queued handlers to finish, sends the acknowledgements still owed and {@code
     * mbus.bye}, fails what is left with {@link Reason#CLOSED}, and releases the sockets and
     * threads.
     */
    public void close(Duration drain) {
        if (state.compareAndSet(State.NEW, State.CLOSED)) {
            transport.close(); // never joined: nothing to drain, nobody to say bye to
            ownExecutorShutdown(Duration.ZERO);
            return;
        }
        if (!state.compareAndSet(State.RUNNING, State.CLOSING)) {
            return;
        }
        try {
            outbox.close();
        } catch (MbusException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not send the last batch: " + e.getMessage());
        }
        long deadline = System.nanoTime() + drain.toNanos();
        while ((window.inFlight() > 0 || dispatcher.pending() > 0) && System.nanoTime() - deadline < 0) {
            if (!config.timerThread()) {
                break;
            }
            sleepBriefly();
        }
        if (timerThread != null) {
            timerThread.shutdownNow();
        }
        try {
            for (PendingAcks.Batch batch : acks.takeAll()) {
                sendBareAck(batch);
            }
            byte[] bye = codec.encode(compose(false, BROADCAST, List.of(), List.of(BYE)));
            // The way the last messages went: a sole peer that got them by unicast reads its two
            // sockets in turns, and must not hear the bye before a datagram sent earlier, which
            // would make the entity it just forgot a peer again.
            List<Peer> known = peers.snapshot();
            transmit(bye, known.size() == 1 ? known.get(0) : null);
        } catch (MbusException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not say bye: " + e.getMessage());
        }
        state.set(State.CLOSED);
        String why = "entity " + address + " closed";
        window.failAll(Reason.CLOSED, why);
        replies.failAll(Reason.CLOSED, why);
        goes.failAll(Reason.CLOSED, why);
        peerWaiters.failAll(Reason.CLOSED, why);
        transport.close();
        ownExecutorShutdown(drain);
    }

    private void ownExecutorShutdown(Duration drain) {
        if (ownExecutor != null) {
            ownExecutor.shutdown();
            try {
                ownExecutor.awaitTermination(Math.max(100, drain.toMillis()), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ownExecutor.shutdownNow();
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ExecutorService newHandlerPool(Address address) {
        int threads = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemon("mbus-handler-" + address.get("id")));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public String toString() {
        return "MbusEntity" + address + " " + state.get().name().toLowerCase();
    }
}
