package dev.mbus.core.engine;

import dev.mbus.core.DeliveryException;
import dev.mbus.core.awareness.HelloSchedule;
import dev.mbus.core.awareness.Peer;
import dev.mbus.core.awareness.PeerKind;
import dev.mbus.core.awareness.PeerTable;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Awareness of other entities (protocol §7): the peer table, hello and its schedule, silent and
 * departed peers, and the events that tell listeners of them. Event listeners run like handlers:
 * on the handler executor, in order per source.
 */
final class Awareness {

    private static final System.Logger LOG = System.getLogger(Awareness.class.getName());

    private final PeerTable peers;
    private final HelloSchedule hello;
    private final long tickNanos;
    private final long helloMinNanos;
    private final MbusClock clock;
    private final OrderedDispatcher dispatcher;
    private final EntityCounters counters;
    private final List<Consumer<MbusEvent>> listeners = new CopyOnWriteArrayList<>();
    private final Waiters<Peer, Peer> peerWaiters = new Waiters<>();
    private final FirstFailureLog listenerFailures = new FirstFailureLog(LOG, "event listener");
    private MessageSender sender;
    private volatile long nextHelloNanos;
    private volatile long lastHelloNanos;

    Awareness(EntityConfig config, OrderedDispatcher dispatcher, EntityCounters counters) {
        ProtocolTimers timers = config.timers();
        this.peers = new PeerTable(config.maxPeers(), config.transportSettings().port(), this::evicted);
        this.hello = new HelloSchedule(timers.helloMin().toNanos(), timers.helloFactor().toNanos(),
                timers.helloDeadIntervals(), config.random());
        this.tickNanos = timers.tick().toNanos();
        this.helloMinNanos = timers.helloMin().toNanos();
        this.clock = config.clock();
        this.dispatcher = dispatcher;
        this.counters = counters;
        this.listeners.addAll(config.eventListeners());
    }

    PeerTable peers() {
        return peers;
    }

    /** The sender hellos go out through; set once, before the entity starts. */
    void sendVia(MessageSender messages) {
        this.sender = messages;
    }

    Subscription onEvent(Consumer<MbusEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** A new message from {@code source} came from {@code endpoint}; it was this library's hello or not. */
    void heard(Address source, InetSocketAddress endpoint, boolean ourHello, long now) {
        switch (peers.heard(source, endpoint, now, clock.currentTimeMillis(), ourHello)) {
            case NEW -> {
                Peer peer = peers.get(source);
                publish(source, new MbusEvent.PeerJoined(peer));
                peerWaiters.offer(peer, false);
                greetSoon(now);
            }
            case MOVED -> greetSoon(now); // Most likely restarted: it knows nobody yet.
            case KNOWN -> {
            }
        }
    }

    /** {@code source} said bye. */
    void departed(Address source) {
        Peer gone = peers.remove(source);
        if (gone != null) {
            publish(source, new MbusEvent.PeerLeft(gone, MbusEvent.LeaveReason.BYE));
        }
    }

    private void evicted(Peer peer) {
        publish(peer.address(), new MbusEvent.PeerLeft(peer, MbusEvent.LeaveReason.EVICTED));
    }

    /** Answers {@code mbus.ping}. */
    void answerPing(Address pinger) {
        sender.sendNow(pinger, PeerKind.HELLO);
    }

    /** Completes when an entity that {@code destination} matches is known, at once if one is. */
    CompletableFuture<Peer> awaitPeer(Address destination, Duration timeout) {
        CompletableFuture<Peer> found = peerWaiters.add(peer -> destination.matches(peer.address()), peer -> peer,
                clock.nanoTime() + timeout.toNanos(),
                "no entity matching " + destination + " heard within " + timeout.toMillis() + " ms");
        // Looked up after the waiter is in place, so that a peer heard in between is not missed.
        peers.matching(destination).stream().findFirst().ifPresent(peer -> peerWaiters.offer(peer, false));
        return found;
    }

    void sayHello(long now) {
        lastHelloNanos = now;
        nextHelloNanos = now + hello.nextIntervalNanos(peers.established());
        sender.sendNow(Address.BROADCAST, PeerKind.HELLO);
    }

    /**
     * Says hello soon, so that a newcomer learns of this entity without waiting a whole
     * interval: at the next tick, but no sooner than a tenth of c_hello_min after the last hello,
     * so that many joining at once cause no storm.
     */
    private void greetSoon(long now) {
        long soonest = Math.max(now + tickNanos, lastHelloNanos + helloMinNanos / 10);
        if (soonest - nextHelloNanos < 0) {
            nextHelloNanos = soonest;
        }
    }

    /**
     * When {@link #onTimer} next has something to do, if no waiter is pending and no peer is
     * heard meanwhile: the next hello, or the moment the longest-silent peer would be forgotten.
     */
    long nextDueNanos() {
        long due = nextHelloNanos;
        if (peers.size() > 0 && peers.nextExpiryNanos() - due < 0) {
            due = peers.nextExpiryNanos();
        }
        return due;
    }

    /** Whether someone waits for a peer: a timeout that needs the timer's ticks. */
    boolean hasWaiters() {
        return peerWaiters.hasWaiters();
    }

    /** Hello when due; forgets peers silent for longer than the dead time; times out waiters. */
    void onTimer(long now) {
        if (now - nextHelloNanos >= 0) {
            sayHello(now);
        }
        for (Peer gone : peers.expire(now, hello.deadAfterNanos(peers.established()),
                hello.deadAfterNanos(peers.size()), hello.deadIntervals())) {
            publish(gone.address(), new MbusEvent.PeerLeft(gone, MbusEvent.LeaveReason.TIMEOUT));
        }
        peerWaiters.expire(now);
    }

    /** Hands {@code event} to every listener, on the handler executor, behind what {@code source} sent before. */
    void publish(Address source, MbusEvent event) {
        for (Consumer<MbusEvent> listener : listeners) {
            Runnable call = () -> {
                try {
                    listener.accept(event);
                } catch (Throwable e) {
                    counters.handlerErrors.increment();
                    listenerFailures.failed(listener, "on " + event, e);
                }
            };
            if (!dispatcher.submit(source, call, false)) {
                counters.eventsDropped.increment();
            }
        }
    }

    void failAll(DeliveryException.Reason reason, String why) {
        peerWaiters.failAll(reason, why);
    }
}
