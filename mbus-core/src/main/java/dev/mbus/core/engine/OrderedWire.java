package dev.mbus.core.engine;

import dev.mbus.core.transport.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Puts an entity's datagrams on the wire in the order they were queued, from whichever thread
 * comes to send while no other does: a caller that finds another thread in {@code sendto}
 * leaves its datagram to that thread and goes on, so no caller ever waits on a lock held across
 * a system call, and one writer at a time keeps the order. The sender queues a datagram while it
 * still holds the lock it numbered it under, so the queue's order is the numbers' order.
 *
 * <p>The receive and timer threads ({@link EngineThread}) never wait for the wire, and never
 * become a user's writer: a user's thread that finds one of them sending waits for it to finish
 * the datagrams it took, then sends its own. Otherwise a steady flood would keep the timer
 * thread in {@code sendto} (no hello, no retransmission) or the receive thread (no
 * acknowledgement read) for as long as it lasts.
 * Thread-safe.
 */
final class OrderedWire {

    /** How many datagrams a caller leaves to the thread sending before it waits for that thread. */
    static final int MAX_LEFT_TO_WRITER = 1024;

    private final Transport transport;
    /** Only the thread that holds {@link #writing} sends. */
    private final AtomicBoolean writing = new AtomicBoolean();
    /** Whether the thread that holds {@link #writing} runs an engine duty. */
    private volatile boolean engineWriting;
    /** Users' threads waiting for the writer to let go; they wait on {@link #handOver}. */
    private final AtomicInteger usersWaiting = new AtomicInteger();
    private final Object handOver = new Object();
    /** Guards the two lists of what is queued. */
    private final Object queueLock = new Object();
    private ArrayList<byte[]> queued = new ArrayList<>();
    /** Where each queued datagram goes: an entity's endpoint, or null for the group. */
    private ArrayList<InetSocketAddress> queuedTargets = new ArrayList<>();
    /** The writer's lists, swapped with the queued ones to take a whole burst at once. */
    private ArrayList<byte[]> taken = new ArrayList<>();
    private ArrayList<InetSocketAddress> takenTargets = new ArrayList<>();

    OrderedWire(Transport transport) {
        this.transport = transport;
    }

    /** Queues {@code datagram} for {@code endpoint}, or for the group when null; {@link #send} sends it. */
    void queue(byte[] datagram, InetSocketAddress endpoint) {
        synchronized (queueLock) {
            queued.add(datagram);
            queuedTargets.add(endpoint);
        }
    }

    /**
     * Sends what is queued, unless another thread is sending, which then sends it too; waits
     * for that thread only while more than {@value #MAX_LEFT_TO_WRITER} datagrams are queued,
     * so that senders faster than the socket cannot grow the queue without bound. A datagram
     * the transport refuses does not stop the ones after it.
     *
     * @throws RuntimeException the first failure of the transport met here, once all is sent
     */
    void send() {
        drain(MAX_LEFT_TO_WRITER);
    }

    /**
     * Sends what is queued and returns only once it is on the wire, whichever thread sends it:
     * the last datagrams before the transport closes.
     */
    void sendAll() {
        drain(0);
        while (writing.get()) {
            Thread.yield(); // another thread is sending the last of them
        }
    }

    private void drain(int leaveToWriter) {
        boolean engine = EngineThread.isCurrent();
        RuntimeException failure = null;
        // Looks again after letting go: a datagram queued just before that may have found the writer still busy.
        for (int queuedNow = queuedCount(); queuedNow > 0; queuedNow = queuedCount()) {
            if (writing.compareAndSet(false, true)) {
                engineWriting = engine;
                boolean handedOver;
                try {
                    failure = sendTaken(failure, engine);
                } finally {
                    handedOver = letGo(engine);
                }
                if (handedOver) {
                    break; // a user's thread waits to send the rest
                }
            } else if (engine || (!engineWriting && queuedNow <= leaveToWriter)) {
                break; // the thread sending now takes it too
            } else {
                awaitWriter();
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Sends burst after burst until nothing is queued; an engine thread stops after a burst once
     * a user's thread waits to send.
     */
    private RuntimeException sendTaken(RuntimeException failure, boolean engine) {
        while (!(engine && usersWaiting.get() > 0) && take()) {
            try {
                for (int i = 0; i < taken.size(); i++) {
                    try {
                        InetSocketAddress endpoint = takenTargets.get(i);
                        byte[] datagram = taken.get(i);
                        if (endpoint == null) {
                            transport.sendToGroup(datagram, 0, datagram.length);
                        } else {
                            transport.sendTo(endpoint, datagram, 0, datagram.length);
                        }
                    } catch (RuntimeException e) {
                        if (failure == null) {
                            failure = e;
                        }
                    }
                }
            } finally {
                taken.clear();
                takenTargets.clear();
            }
        }
        return failure;
    }

    /** Gives the wire up and wakes the users' threads waiting for it; whether an engine thread left them the rest. */
    private boolean letGo(boolean engine) {
        writing.set(false);
        if (usersWaiting.get() == 0) {
            return false;
        }
        synchronized (handOver) {
            handOver.notifyAll();
        }
        return engine;
    }

    /**
     * Waits, on a user's thread, until the writer lets go: it is an engine thread, which sends
     * no more than what it took, or too much is queued already. Not interruptible: the writer
     * may have stopped for this very thread, which must then send the rest.
     */
    private void awaitWriter() {
        boolean interrupted = false;
        usersWaiting.incrementAndGet();
        try {
            synchronized (handOver) {
                while (writing.get()) {
                    try {
                        handOver.wait();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
        } finally {
            usersWaiting.decrementAndGet();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Swaps the queued burst into the writer's lists; false when nothing was queued. */
    private boolean take() {
        synchronized (queueLock) {
            if (queued.isEmpty()) {
                return false;
            }
            ArrayList<byte[]> datagrams = queued;
            queued = taken;
            taken = datagrams;
            ArrayList<InetSocketAddress> targets = queuedTargets;
            queuedTargets = takenTargets;
            takenTargets = targets;
            return true;
        }
    }

    private int queuedCount() {
        synchronized (queueLock) {
            return queued.size();
        }
    }
}
