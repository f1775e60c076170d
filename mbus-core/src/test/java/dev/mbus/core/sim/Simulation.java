package dev.mbus.core.sim;

import dev.mbus.core.InvalidDatagramException;
import dev.mbus.core.codec.DatagramCodec;
import dev.mbus.core.engine.Batching;
import dev.mbus.core.engine.EntityConfig;
import dev.mbus.core.engine.EntityStats;
import dev.mbus.core.engine.IncomingCommand;
import dev.mbus.core.engine.ManualClock;
import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.engine.ProtocolTimers;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.Message;
import dev.mbus.core.security.CipherAlgorithm;
import dev.mbus.core.security.HashAlgorithm;
import dev.mbus.core.security.MbusKeys;
import dev.mbus.core.sim.History.Send;
import dev.mbus.core.sim.Violation.Invariant;
import dev.mbus.core.transport.TransportSettings;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * A bus of simulated entities in virtual time, driven from the test's thread through the
 * engine's public API only: each {@link #step()} moves the clock by a millisecond, delivers the
 * datagrams due, runs the handler tasks due and, every 5 ms, every live entity's timers. Entities
 * are named ({@code a}, {@code b}, ...); a restart keeps the name and the address and begins a new
 * life. Reliable sends carry {@code sim.r (life counter)}, unreliable ones {@code sim.u (life
 * counter)}, so that every payload is unique; the {@link History} records what the application
 * saw, and {@link #finish()} judges it.
 */
final class Simulation {

    static final MbusKeys KEYS = new MbusKeys(HashAlgorithm.HMAC_MD5_96,
            "SimulatedBus".getBytes(StandardCharsets.US_ASCII), CipherAlgorithm.NOENCR, null);
    /** Reads captured datagrams, for scenarios that pick one to replay. */
    static final DatagramCodec CODEC = new DatagramCodec(KEYS);
    static final ProtocolTimers TIMERS = ProtocolTimers.RFC;
    static final String RELIABLE = "sim.r";
    static final String UNRELIABLE = "sim.u";

    private static final Duration STEP = Duration.ofMillis(1);
    private static final long MILLI = 1_000_000L;
    private static final int TIMER_PERIOD_MILLIS = 5;
    /** Longest wait, after the quiet period, for the last outcomes and handler calls. */
    private static final int MAX_SETTLE_MILLIS = 60_000;
    /** After everything closed: time for the byes to arrive and closed entities' handlers to finish. */
    private static final Duration AFTER_CLOSE = Duration.ofMillis(200);

    private final SimSettings settings;
    private final ManualClock clock = new ManualClock();
    private final long originNanos = clock.nanoTime();
    private final SimNetwork network;
    private final History history = new History();
    private final Random handlerRandom;
    private final Random entityRandom;
    /** The latest life of each name, live or not. */
    private final Map<String, Incarnation> latest = new LinkedHashMap<>();
    private final List<Incarnation> lives = new ArrayList<>();
    private final Map<InetSocketAddress, Incarnation> byEndpoint = new HashMap<>();
    private final Map<String, Long> startsDue = new LinkedHashMap<>();
    private final List<Violation> stateViolations = new ArrayList<>();
    /** Reliable sends by payload, by the endpoint and sequence number they went out with, and who acknowledged them. */
    private final Map<String, Send> reliableSends = new HashMap<>();
    private final Map<String, Send> bySequence = new HashMap<>();
    private final Map<Send, Acknowledgement> acknowledgement = new HashMap<>();

    Simulation(SimSettings settings) {
        this.settings = settings;
        this.network = new SimNetwork(clock, settings.seed());
        this.handlerRandom = new Random(settings.seed() * 31 + 1);
        this.entityRandom = new Random(settings.seed() * 31 + 2);
        network.faults(settings.faults());
        network.onDeliver(this::watch);
        network.onReceiveFailure((endpoint, error) ->
                history.escaped(byEndpoint.get(endpoint).life, "a receive call", error, nowMillis()));
    }

    static Address addressOf(String name) {
        return Address.parse("(app:sim id:" + name + ")");
    }

    SimNetwork network() {
        return network;
    }

    History history() {
        return history;
    }

    /** Simulated milliseconds since the start. */
    long nowMillis() {
        return (clock.nanoTime() - originNanos) / MILLI;
    }

    /** The live life of {@code name}, or null when it is down. */
    Incarnation live(String name) {
        Incarnation incarnation = latest.get(name);
        return incarnation != null && incarnation.isLive() ? incarnation : null;
    }

    Incarnation start(String name) {
        return start(name, builder -> builder);
    }

    /** Starts a new life of {@code name}; {@code customize} may change its configuration. */
    Incarnation start(String name, UnaryOperator<EntityConfig.Builder> customize) {
        if (live(name) != null) {
            throw new IllegalStateException(name + " is already running");
        }
        startsDue.remove(name);
        History.Life life = history.born(name, nowMillis());
        SimTransport transport = network.newTransport();
        SimExecutor executor = new SimExecutor(clock, settings.workerSlots(),
                error -> history.escaped(life, "a handler task", error, nowMillis()));
        EntityConfig.Builder builder = EntityConfig.builder()
                .address(addressOf(name))
                .keys(KEYS)
                .transport(transport)
                .transportSettings(TransportSettings.defaults().withUnicast(settings.unicast()))
                .clock(clock)
                .random(new Random(entityRandom.nextLong()))
                .timerThread(false)
                .handlerExecutor(executor)
                .timers(TIMERS)
                .reliableWindow(settings.reliableWindow())
                .maxQueuedPerSender(settings.maxQueuedPerSender())
                .maxInboundBytes(settings.maxInboundBytes(), settings.maxInboundBytes())
                .batching(settings.batching() ? Batching.DEFAULT : Batching.OFF)
                .errorHandler((incoming, error) -> { }); // a throwing handler is part of the plan, not news
        MbusEntity entity = MbusEntity.create(customize.apply(builder).build());
        Incarnation incarnation = new Incarnation(life, entity, transport, executor);
        entity.subscribe("sim.*", incoming -> onHandled(incarnation, incoming));
        entity.start();
        latest.put(name, incarnation);
        lives.add(incarnation);
        byEndpoint.put(transport.localEndpoint(), incarnation);
        return incarnation;
    }

    /** Starts a new life of {@code name} after {@code down}, unless one is running then. */
    void startLater(String name, Duration down) {
        startsDue.put(name, nowMillis() + down.toMillis());
    }

    /** Closes {@code name} and starts it again, with the same address, after {@code down}. */
    void restart(String name, Duration down) {
        bye(name);
        startLater(name, down);
    }

    /** Closes {@code name} at once: it says bye; its executor still runs the handler calls queued. */
    void bye(String name) {
        Incarnation incarnation = live(name);
        if (incarnation == null) {
            return;
        }
        incarnation.life.endedAt = nowMillis();
        try {
            incarnation.entity.close(Duration.ZERO);
        } catch (RuntimeException e) {
            history.escaped(incarnation.life, "close", e, nowMillis());
        }
    }

    /** Kills {@code name}: its transport goes dead without a bye, its queued handler calls are lost, nothing drives it. */
    void crash(String name) {
        Incarnation incarnation = live(name);
        if (incarnation == null) {
            return;
        }
        incarnation.transport.close();
        incarnation.life.endedAt = nowMillis();
        incarnation.life.crashed = true;
        incarnation.life.workLostInCrash = incarnation.executor.abandon();
    }

    /**
     * Sends the next payload of {@code from} reliably to {@code to}, unless {@code from} is down
     * or its window is full: a full window would block this thread.
     *
     * @return whether it was sent
     */
    boolean sendReliable(String from, String to) {
        Incarnation sender = live(from);
        if (sender == null || windowFull(sender)) {
            return false;
        }
        long counter = sender.nextCounter();
        Send send = history.sent(sender.life, counter, to, true, nowMillis());
        reliableSends.put(sender.life.id + ":" + counter, send);
        sender.pendingReliable++;
        try {
            sender.entity.sendReliable(addressOf(to), Command.of(RELIABLE, sender.life.id, counter))
                    .whenComplete((ok, error) -> {
                        sender.pendingReliable--;
                        if (error == null) {
                            Acknowledgement ack = acknowledgement.get(send);
                            history.acknowledged(send, ack != null ? ack.by() : latest.get(to).life,
                                    ack != null ? ack.atMillis() : nowMillis());
                        } else {
                            history.failed(send, error);
                        }
                    });
        } catch (RuntimeException e) {
            history.escaped(sender.life, "sendReliable", e, nowMillis());
        }
        return true;
    }

    private boolean windowFull(Incarnation sender) {
        int window = settings.reliableWindow();
        return sender.pendingReliable >= window || sender.entity.stats().reliableInFlight() >= window;
    }

    /**
     * Watches every datagram delivered, as the engines see them: learns which sequence number
     * each reliable send went out with, and which life's datagram first acknowledged it, and when.
     * The send's future completes later, on the sender's handler executor; the acknowledgement is
     * the datagram's, not the completion's.
     */
    private void watch(SimNetwork.Datagram datagram, InetSocketAddress to) {
        Message message;
        try {
            message = CODEC.decode(datagram.data(), 0, datagram.data().length);
        } catch (InvalidDatagramException e) {
            return;
        }
        if (message.reliable()) {
            for (Command command : message.commands()) {
                if (command.name().equals(RELIABLE)) {
                    Send send = reliableSends.get(command.arg(0).asString() + ":" + command.arg(1).asLong());
                    if (send != null) {
                        bySequence.putIfAbsent(datagram.from() + "#" + message.sequence(), send);
                    }
                }
            }
        }
        Incarnation from = byEndpoint.get(datagram.from());
        Incarnation receiver = byEndpoint.get(to);
        if (receiver == null || !message.destination().matches(receiver.entity.address())) {
            return; // a group datagram's acks are for its destination, not for every entity that hears it
        }
        for (Long acknowledged : message.acks()) {
            Send send = bySequence.get(to + "#" + acknowledged);
            if (send != null && from != null && !acknowledgement.containsKey(send)) {
                acknowledgement.put(send, new Acknowledgement(from.life, nowMillis()));
            }
        }
    }

    /** Which life's datagram first acknowledged a send, and when it was delivered. */
    private record Acknowledgement(History.Life by, long atMillis) {
    }

    /**
     * Sends the next payload of {@code from} unreliably to {@code to}, or to every entity when
     * {@code to} is null, unless {@code from} is down.
     *
     * @return whether it was sent
     */
    boolean sendUnreliable(String from, String to) {
        Incarnation sender = live(from);
        if (sender == null) {
            return false;
        }
        long counter = sender.nextCounter();
        history.sent(sender.life, counter, to, false, nowMillis());
        try {
            sender.entity.send(to == null ? Address.BROADCAST : addressOf(to), Command.of(UNRELIABLE, sender.life.id, counter));
        } catch (RuntimeException e) {
            history.escaped(sender.life, "send", e, nowMillis());
        }
        return true;
    }

    private void onHandled(Incarnation receiver, IncomingCommand incoming) {
        history.handled(receiver.life, incoming.arg(0).asString(), incoming.arg(1).asLong(), nowMillis());
        settings.handlers().actOut(handlerRandom, receiver.executor);
    }

    /** One millisecond: starts due, datagrams due, handler tasks due, and every 5 ms the entities' timers. */
    void step() {
        clock.advance(STEP);
        long now = nowMillis();
        List<String> due = startsDue.entrySet().stream().filter(start -> start.getValue() <= now).map(Map.Entry::getKey).toList();
        for (String name : due) {
            startsDue.remove(name);
            if (live(name) == null) {
                start(name);
            }
        }
        network.deliverDue();
        for (Incarnation incarnation : lives) {
            incarnation.executor.runDue();
        }
        if (now % TIMER_PERIOD_MILLIS == 0) {
            for (Incarnation incarnation : latest.values()) {
                runTimers(incarnation);
            }
        }
    }

    private void runTimers(Incarnation incarnation) {
        if (!incarnation.isLive()) {
            return;
        }
        try {
            incarnation.entity.runTimers();
        } catch (RuntimeException e) {
            history.escaped(incarnation.life, "runTimers", e, nowMillis());
        }
        checkInboundBound(incarnation);
    }

    void run(Duration duration) {
        for (long i = 0; i < duration.toMillis(); i++) {
            step();
        }
    }

    /**
     * Ends the run: a quiet period in which every outcome becomes known (a reliable lifetime
     * and a reorder hold, plus the network's delay), then until every live entity's sends are
     * settled and every handler queue is empty; checks the entities hold nothing, closes them
     * all, and judges the history.
     */
    SimReport finish() {
        run(TIMERS.reliableLifetime().plus(TIMERS.reorderHold(java.time.Duration.ofMillis(100)))
                .plusMillis(2L * settings.faults().maxDelayMillis() + 200));
        network.faults(settings.faults().withoutReplay());
        for (int waited = 0; waited < MAX_SETTLE_MILLIS && !settled(); waited++) {
            step();
        }
        for (Incarnation incarnation : latest.values()) {
            if (incarnation.isLive()) {
                checkBoundedState(incarnation);
            }
        }
        for (String name : List.copyOf(latest.keySet())) {
            bye(name);
        }
        run(AFTER_CLOSE);
        List<Violation> violations = new ArrayList<>(
                new InvariantChecker(TIMERS.reorderHold(java.time.Duration.ofMillis(100)).toMillis() + 2 * TIMER_PERIOD_MILLIS,
                        settings.faults().maxDelayMillis()).check(history));
        violations.addAll(stateViolations);
        return new SimReport(settings.toString(), history, violations, summary());
    }

    private boolean settled() {
        for (Incarnation incarnation : lives) {
            // A replay delivered late in the quiet period may still wait its hold behind a gap.
            boolean busy = incarnation.isLive()
                    ? incarnation.pendingReliable > 0 || !incarnation.executor.isIdle()
                            || incarnation.entity.stats().inboundBytes() > 0
                    : !incarnation.life.crashed && !incarnation.executor.isIdle();
            if (busy) {
                return false;
            }
        }
        return startsDue.isEmpty();
    }

    /**
     * What a live entity may still hold after the quiet period: nothing. Checks what the public
     * API shows now (reliable sends in flight, futures pending, handler calls queued on its
     * executor). The held and queued bytes that EntityStats is to report belong here too: once the
     * accessor exists, they must be back to zero.
     */
    /** While the run goes: no entity holds more received bytes than its bound, whatever arrives. */
    private void checkInboundBound(Incarnation incarnation) {
        long held = incarnation.entity.stats().inboundBytes();
        if (held > settings.maxInboundBytes()) {
            stateViolations.add(new Violation(Invariant.BOUNDED_STATE, incarnation + " holds " + held
                    + " received bytes at " + nowMillis() + " ms, over its bound of " + settings.maxInboundBytes()));
        }
    }

    private void checkBoundedState(Incarnation incarnation) {
        EntityStats stats = incarnation.entity.stats();
        if (stats.inboundBytes() != 0) {
            stateViolations.add(new Violation(Invariant.BOUNDED_STATE,
                    incarnation + " still holds " + stats.inboundBytes() + " received bytes after the quiet period"));
        }
        if (stats.reliableInFlight() != 0) {
            stateViolations.add(new Violation(Invariant.BOUNDED_STATE,
                    incarnation + " still has " + stats.reliableInFlight() + " reliable messages in flight"));
        }
        if (incarnation.pendingReliable != 0) {
            stateViolations.add(new Violation(Invariant.BOUNDED_STATE,
                    incarnation + " still has " + incarnation.pendingReliable + " reliable sends without an outcome"));
        }
        if (!incarnation.executor.isIdle()) {
            stateViolations.add(new Violation(Invariant.BOUNDED_STATE,
                    incarnation + " still has " + incarnation.executor.queued() + " handler tasks queued"));
        }
    }

    private String summary() {
        long reliable = history.sends().stream().filter(send -> send.reliable).count();
        long acknowledged = history.sends().stream().filter(Send::acknowledged).count();
        long failed = history.sends().stream().filter(send -> send.failure != null).count();
        return nowMillis() + " ms simulated; " + history.lives().size() + " lives; " + reliable + " reliable sends ("
                + acknowledged + " acknowledged, " + failed + " failed), " + (history.sends().size() - reliable)
                + " unreliable; " + history.handlings().size() + " handler calls; " + network;
    }
}
