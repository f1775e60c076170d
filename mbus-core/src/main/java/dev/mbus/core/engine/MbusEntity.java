package dev.mbus.core.engine;

import dev.mbus.core.DeliveryException;
import dev.mbus.core.DeliveryException.Reason;
import dev.mbus.core.MbusException;
import dev.mbus.core.awareness.Peer;
import dev.mbus.core.codec.DatagramCodec;
import dev.mbus.core.codec.MessageCodec;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.reliable.PendingAcks;
import dev.mbus.core.reliable.ReliableWindow;
import dev.mbus.core.reliable.SenderHistory;
import dev.mbus.core.security.DatagramSecurity;
import dev.mbus.core.transport.DatagramReceiver;
import dev.mbus.core.transport.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One Mbus entity: joins the bus, finds its peers, sends and receives unreliable and reliable
 * messages (protocol §5-8). Create it with {@link #start(EntityConfig)}, close it to leave.
 *
 * <p>This class is the façade and the life cycle; the work is done by its parts: the
 * {@link InboundPipeline} takes what arrives, the {@link CommandRouter} hands it to handlers,
 * the {@link MessageSender} sends, {@link Awareness} keeps the peers, {@link Requests} matches
 * replies and rendezvous, and {@link EntityCounters} counts.
 *
 * <p>Threads: the transport's receive thread (which a {@code UdpTransport} shares with other
 * entities of its bus in this JVM) authenticates, parses and sequences datagrams and sends
 * acknowledgements; a timer thread of the entity's own retransmits, says hello and expires
 * silent peers.
 * User code never runs on either: handlers and event listeners run on the handler executor, one
 * at a time per sender and in that sender's order, and the futures this class returns complete
 * there too, so a slow callback chained on them delays no acknowledgement. Whatever user code
 * throws is counted and logged; it stops nothing. {@link #sendReliable} waits while the reliable
 * window is full, except when called on the receive or timer thread (a handler run inline by a
 * caller-runs executor): there it fails at once with {@link Reason#WINDOW_FULL}.
 */
public final class MbusEntity implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(MbusEntity.class.getName());

    private enum State { NEW, RUNNING, CLOSING, CLOSED }

    private final EntityConfig config;
    private final Address address;
    private final Transport transport;
    private final MbusClock clock;
    private final EntityCounters counters = new EntityCounters();
    private final ReliableWindow window;
    private final InboundBudget budget;
    private final SenderHistory<InboundPipeline.Delivery> history;
    private final OrderedDispatcher dispatcher;
    private final UserFutures userFutures;
    private final ExecutorService ownExecutor;
    private final Awareness awareness;
    private final MessageSender sender;
    private final Requests requests;
    private final CommandRouter router;
    private final InboundPipeline inbound;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final FirstFailureLog refusals = new FirstFailureLog(LOG, "handler executor");
    private final long historyExpiryNanos;
    /** Where the duties run only. */
    private long nextHistoryExpiry;
    /**
     * The longest an idle timer thread sleeps. It wakes for its next hello anyway, a hello
     * interval away at most, so this only bounds how late a peer is forgotten, when peers leave
     * after the sleep began and the dead time shrinks, on buses of more than 300 entities.
     */
    private static final long MAX_IDLE_SLEEP_NANOS = TimeUnit.SECONDS.toNanos(60);
    private TimerThread timerThread;

    private MbusEntity(EntityConfig config) {
        this.config = config;
        this.address = config.address();
        this.clock = config.clock();
        ProtocolTimers timers = config.timers();
        DatagramCodec codec = new DatagramCodec(new DatagramSecurity(config.keys()), new MessageCodec(config.codecLimits()));
        this.transport = config.openTransport();
        this.window = new ReliableWindow(config.reliableWindow(), config.reliableWindowBytes(),
                timers.retransmitBase().toNanos(), timers.maxRetransmissions());
        this.budget = new InboundBudget(config.maxInboundBytes(), config.maxInboundBytesPerSender());
        // Remembered for twice the freshness window: a replay is stale by the time its sender is forgotten.
        // Looked over at most every quarter of that, when the timer runs anyway: forgetting
        // later is safe, the history is bounded, and an idle entity's timer does not wake for it.
        long retention = config.freshness().multipliedBy(2).toNanos();
        this.historyExpiryNanos = Math.max(timers.tick().toNanos(), retention / 4);
        this.history = new SenderHistory<>(2 * config.maxPeers(), config.reorderHold().toNanos(), retention);
        Executor executor = config.handlerExecutor();
        this.ownExecutor = executor == null ? newHandlerPool(address) : null;
        ExecutorFailures failures = new ExecutorFailures() {
            @Override
            public void taskFailed(Throwable failure) {
                counters.handlerErrors.increment();
                refusals.failed(this, "in a task", failure);
            }

            @Override
            public void executorRefused(Throwable failure) {
                refusals.failed(this, "to take a task", failure);
            }
        };
        Executor handlers = executor == null ? ownExecutor : executor;
        this.dispatcher = new OrderedDispatcher(handlers, config.maxQueuedPerSender(), failures);
        this.userFutures = new UserFutures(dispatcher);
        this.awareness = new Awareness(config, dispatcher, counters);
        PendingAcks acks = new PendingAcks(config.maxAcksPerMessage());
        this.sender = new MessageSender(config, codec, transport, awareness.peers(), acks, window, counters,
                userFutures, this::flushAt, this::isRunning, this::closedException);
        awareness.sendVia(sender);
        this.requests = new Requests(config, sender);
        this.router = new CommandRouter(config, dispatcher, budget, awareness, counters);
        router.answerTo(requests);
        this.inbound = new InboundPipeline(config, codec, history, awareness, window, acks, budget, dispatcher,
                sender, router, counters, this::isRunning);
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
        // Running before the first datagram can arrive: the pipeline ignores what comes while not running.
        if (!state.compareAndSet(State.NEW, State.RUNNING)) {
            throw new IllegalStateException("entity " + address + " is already " + state.get().name().toLowerCase());
        }
        try {
            transport.start(new Receiver());
        } catch (RuntimeException e) {
            state.set(State.NEW);
            transport.close();
            throw e;
        }
        long now = clock.nanoTime();
        nextHistoryExpiry = now + historyExpiryNanos;
        awareness.sayHello(now);
        if (config.timerThread()) {
            timerThread = new TimerThread("mbus-timer-" + address.get("id"), clock, config.timers().tick().toNanos(),
                    new TimerThread.Duties() {
                        @Override
                        public long run(long nowNanos) {
                            return runTimersSafely(nowNanos);
                        }

                        @Override
                        public long nextDue(long nowNanos) {
                            return nextDueNanos(nowNanos);
                        }
                    });
            timerThread.start();
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
        sender.send(destination, commands);
    }

    /**
     * Sends now the commands waiting in a batch (see {@link Batching}), rather than at most the
     * batching linger later.
     */
    public void flush() {
        requireRunning();
        sender.flush();
    }

    /**
     * Sends {@code commands} in one reliable message to the one entity {@code destination}
     * matches. Waits while the reliable window is full (fails at once with
     * {@link Reason#WINDOW_FULL} instead when called on the entity's receive or timer thread).
     * The future completes, on the handler executor, when the entity acknowledges, or fails
     * with a {@link DeliveryException} whose reason tells why.
     */
    public CompletableFuture<Void> sendReliable(Address destination, Command... commands) {
        return sendReliable(destination, List.of(commands));
    }

    /** Sends {@code commands} in one reliable message; see {@link #sendReliable(Address, Command...)}. */
    public CompletableFuture<Void> sendReliable(Address destination, List<Command> commands) {
        if (!isRunning()) {
            return CompletableFuture.failedFuture(closedException());
        }
        return nudgingTimer(sender.sendReliable(destination, commands));
    }

    /**
     * Sends {@code command} reliably to the one entity {@code destination} matches and waits for
     * its reply: the command {@code <name>.return} from that entity (the convention of gmbus,
     * protocol §10). Replies are matched to requests in order per entity and command.
     */
    public CompletableFuture<IncomingCommand> request(Address destination, Command command, Duration timeout) {
        try {
            requireRunning();
            return nudgingTimer(userFutures.handOff(requests.request(destination, command, timeout), destination));
        } catch (DeliveryException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Answers a request: sends {@code <name>.return (values)} reliably to its source. */
    public CompletableFuture<Void> reply(IncomingCommand request, List<?> values) {
        if (!isRunning()) {
            return CompletableFuture.failedFuture(closedException());
        }
        return nudgingTimer(requests.reply(request, values));
    }

    /**
     * Rendezvous (protocol §7): repeats {@code mbus.waiting(token)} to {@code destination} until
     * an entity answers {@code mbus.go(token)}. Completes with the address of that entity.
     */
    public CompletableFuture<Address> awaitGo(Address destination, String token, Duration timeout) {
        requireRunning();
        return nudgingTimer(userFutures.handOff(requests.awaitGo(destination, token, timeout), destination));
    }

    /** Releases entities waiting for {@code token}: reliably when one entity matches, else unreliably. */
    public CompletableFuture<Void> sendGo(Address destination, String token) {
        requireRunning();
        return nudgingTimer(requests.sendGo(destination, token));
    }

    /** Completes when an entity that {@code destination} matches is known, at once if one is. */
    public CompletableFuture<Peer> awaitPeer(Address destination, Duration timeout) {
        List<Peer> known = awareness.peers().matching(destination);
        if (!known.isEmpty()) {
            return CompletableFuture.completedFuture(known.get(0));
        }
        return nudgingTimer(userFutures.handOff(awareness.awaitPeer(destination, timeout), destination));
    }

    // ---------------------------------------------------------------- receiving

    /**
     * Routes commands whose name matches {@code pattern} to {@code handler}: an exact name, a
     * prefix pattern such as {@code tool.rat.*}, or {@code *}.
     */
    public Subscription subscribe(String pattern, CommandHandler handler) {
        return router.subscribe(pattern, handler);
    }

    /** Listens to peer events, quit requests and rendezvous; runs like a handler, in order per source. */
    public Subscription onEvent(Consumer<MbusEvent> listener) {
        return awareness.onEvent(listener);
    }

    /** The peers known now. */
    public List<Peer> peers() {
        return awareness.peers().snapshot();
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
        return counters.snapshot(window.inFlight(), awareness.peers().size(), budget.used());
    }

    private final class Receiver implements DatagramReceiver {
        @Override
        public void receive(byte[] buffer, int offset, int length, InetSocketAddress from) {
            boolean outer = EngineThread.enter();
            try {
                inbound.onDatagram(buffer, offset, length, from);
            } finally {
                EngineThread.exit(outer);
            }
            TimerThread timer = timerThread;
            if (timer != null) {
                timer.nudge();
            }
        }

        @Override
        public void idle() {
            boolean outer = EngineThread.enter();
            try {
                inbound.onIdle();
            } finally {
                EngineThread.exit(outer);
            }
        }
    }

    // ---------------------------------------------------------------- timers

    /**
     * Does every timed duty that is due: retransmissions and failures of reliable sends, bare
     * acknowledgements older than T_c, held messages whose gap will not fill, hello, silent peers,
     * rendezvous repeats and timeouts. The entity's timer thread calls it every tick while such
     * work is pending and at the next hello or peer expiry when idle; a test that drives a manual
     * clock calls it itself.
     */
    public void runTimers() {
        if (isRunning()) {
            runTimers(clock.nanoTime());
        }
    }

    /** Runs the duties due at {@code now}; returns when they are next due (see {@link TimerThread}). */
    private long runTimers(long now) {
        boolean outer = EngineThread.enter();
        try {
            sender.flushDue();
            window.onTimer(now, sender::retransmit);
            sender.sendOverdueAcks(now - config.timers().ackDelay().toNanos());
            inbound.onTimer(now);
            awareness.onTimer(now);
            requests.onTimer(now);
            if (now - nextHistoryExpiry >= 0) {
                nextHistoryExpiry = now + historyExpiryNanos;
                history.expire(now);
            }
        } finally {
            EngineThread.exit(outer);
        }
        return nextDueNanos(now);
    }

    /**
     * When the duties are next due: a tick away while something in flight or waiting is timed in
     * ticks, else the next hello or peer expiry, within {@link #MAX_IDLE_SLEEP_NANOS}.
     */
    private long nextDueNanos(long now) {
        if (needsTicks()) {
            return now + config.timers().tick().toNanos();
        }
        return earliest(awareness.nextDueNanos(), now + MAX_IDLE_SLEEP_NANOS);
    }

    /** For tests: when the timer thread, as things stand, would next run the duties. */
    long timersDueNanos() {
        return nextDueNanos(clock.nanoTime());
    }

    /** Whether something in flight or waiting is timed in ticks: retransmissions, owed acknowledgements, holds, timeouts. */
    private boolean needsTicks() {
        return window.inFlight() > 0 || sender.owesAcks() || inbound.isHolding() || requests.hasWaiters()
                || awareness.hasWaiters();
    }

    private static long earliest(long a, long b) {
        return a - b < 0 ? a : b;
    }

    private long runTimersSafely(long now) {
        if (!isRunning()) {
            return now + MAX_IDLE_SLEEP_NANOS;
        }
        try {
            return runTimers(now);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "timer duty failed: " + e, e);
            return now + config.timers().tick().toNanos();
        }
    }

    /** Tells the timer thread that {@code started} may need its ticks; returns it. */
    private <T> CompletableFuture<T> nudgingTimer(CompletableFuture<T> started) {
        TimerThread timer = timerThread;
        if (timer != null) {
            timer.nudge();
        }
        return started;
    }

    /** The outbox's alarm: a flush on the timer thread, or at the next {@link #runTimers()} without one. */
    private void flushAt(long nanos) {
        TimerThread timer = timerThread;
        if (timer != null) {
            timer.wakeBy(nanos);
        }
    }

    private void requireRunning() {
        if (!isRunning()) {
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
        window.close(); // senders waiting for room give up now
        inbound.releaseAllHeld();
        try {
            sender.close();
        } catch (MbusException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not send the last batch: " + e.getMessage());
        }
        if (config.timerThread()) {
            // Without a timer thread nothing would move the window while we waited.
            awaitDrained(System.nanoTime() + drain.toNanos());
        }
        if (timerThread != null) {
            timerThread.stop();
        }
        try {
            sender.sendAllOwedAcks();
            sender.sayBye();
        } catch (MbusException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not say bye: " + e.getMessage());
        }
        state.set(State.CLOSED);
        String why = "entity " + address + " closed";
        window.failAll(Reason.CLOSED, why);
        requests.failAll(Reason.CLOSED, why);
        awareness.failAll(Reason.CLOSED, why);
        transport.close();
        ownExecutorShutdown(drain);
    }

    private void awaitDrained(long deadlineNanos) {
        try {
            if (window.awaitEmpty(deadlineNanos)) {
                dispatcher.awaitIdle(deadlineNanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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

    private static ExecutorService newHandlerPool(Address address) {
        int threads = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemon("mbus-handler-" + address.get("id")));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static ThreadFactory daemon(String prefix) {
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
