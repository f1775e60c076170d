package dev.mbus.core.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One receive thread, {@code mbus-receive-<port>}, selecting over the sockets of the transports
 * {@link ReceiveLoops} gives it. It takes the ready transports in turns, each draining at most a
 * turn's worth per socket, so that a flooded one does not starve the others; a transport that has
 * nothing left gets its {@link Member#idle()} at once. Joining and leaving are handled between
 * turns, on this thread, so a member never gets a callback after its {@link Registration#leave()}
 * returned. The thread stops when its last member leaves.
 */
final class ReceiveLoop {

    /** The transport's side: its sockets and what to do with what they receive. */
    interface Member {

        List<DatagramChannel> channels();

        /** Receives at most a turn's worth from {@code channel} into {@code buffer}; true if there may be more. */
        boolean drain(DatagramChannel channel, ByteBuffer buffer);

        /** Everything this member's sockets had is delivered. */
        void idle();

        /** Leaves the group and closes the sockets; idempotent, called on any thread. */
        void release();

        String describe();
    }

    private static final System.Logger LOG = System.getLogger(ReceiveLoop.class.getName());

    /** Largest UDP payload is 65,507 (IPv4) / 65,527 (IPv6) bytes: one buffer fits any datagram. */
    private static final int RECEIVE_BUFFER_SIZE = 65_536;
    private static final long LEAVE_WAIT_MILLIS = 5_000;

    final int port;
    /** Guarded by {@link ReceiveLoops}. */
    int members;

    private final Selector selector;
    private final Thread thread;
    private final Queue<Registration> arriving = new ConcurrentLinkedQueue<>();
    private final Queue<Registration> leavers = new ConcurrentLinkedQueue<>();

    // This thread only.
    private final ByteBuffer buffer = ByteBuffer.allocate(RECEIVE_BUFFER_SIZE);
    private final ArrayDeque<Registration> ready = new ArrayDeque<>();
    private final Consumer<SelectionKey> onReady = this::markReady;

    /** Set before the last member is told it has left. */
    private volatile boolean stopped;
    private volatile boolean failed;

    private ReceiveLoop(int port, Selector selector) {
        this.port = port;
        this.selector = selector;
        this.thread = new Thread(this::run, "mbus-receive-" + port);
        thread.setDaemon(true);
    }

    static ReceiveLoop start(int port) throws IOException {
        ReceiveLoop loop = new ReceiveLoop(port, Selector.open());
        loop.thread.start();
        return loop;
    }

    /** Called by {@link ReceiveLoops} only, which counts the member in first. */
    Registration admit(Member member) {
        Registration registration = new Registration(member);
        arriving.add(registration);
        selector.wakeup();
        return registration;
    }

    private void run() {
        try {
            while (true) {
                admitArriving();
                if (releaseLeaving()) {
                    return;
                }
                if (ready.isEmpty()) {
                    selector.select(onReady);
                } else {
                    selector.selectNow(onReady);
                }
                Thread.interrupted(); // not ours to act on; selecting with the flag set would spin
                takeTurns();
            }
        } catch (IOException | RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "Receive thread " + thread.getName() + " failed; its "
                    + "transports receive no more datagrams", e);
            ReceiveLoops.failed(this);
            failed = true;
            releaseAfterFailure();
            if (e instanceof Error) {
                throw (Error) e;
            }
        } finally {
            closeQuietly();
        }
    }

    private void admitArriving() {
        Registration registration;
        while ((registration = arriving.poll()) != null) {
            for (DatagramChannel channel : registration.member.channels()) {
                Source source = new Source(registration, channel);
                registration.sources.add(source);
                try {
                    channel.register(selector, SelectionKey.OP_READ, source);
                } catch (ClosedChannelException e) {
                    break; // closed by a leave that timed out; the leave is queued too
                }
            }
        }
    }

    /** Releases the members that left; true if the last one did and this thread must stop. */
    private boolean releaseLeaving() throws IOException {
        if (leavers.isEmpty()) {
            return false;
        }
        List<Registration> released = new ArrayList<>();
        boolean last = false;
        Registration registration;
        while ((registration = leavers.poll()) != null) {
            registration.member.release();
            released.add(registration);
            last = ReceiveLoops.left(this);
        }
        // A closed channel keeps its socket until a selection operation deregisters it.
        selector.selectNow(onReady);
        if (last) {
            stopped = true;
            selector.close();
        }
        released.forEach(r -> r.released.countDown());
        return last;
    }

    private void releaseAfterFailure() {
        Registration registration;
        while ((registration = leavers.poll()) != null) {
            registration.member.release();
            registration.released.countDown();
        }
    }

    private void markReady(SelectionKey key) {
        Source source = (Source) key.attachment();
        source.ready = true;
        Registration registration = source.registration;
        if (!registration.queued) {
            registration.queued = true;
            ready.add(registration);
        }
    }

    /** One turn for each member that had something ready; those that still have more queue again. */
    private void takeTurns() {
        for (int turns = ready.size(); turns > 0; turns--) {
            Registration registration = ready.poll();
            boolean more = false;
            for (Source source : registration.sources) {
                if (source.ready && !registration.leaving) {
                    source.ready = registration.member.drain(source.channel, buffer);
                    more |= source.ready;
                }
            }
            if (more && !registration.leaving) {
                ready.add(registration);
                continue;
            }
            registration.queued = false;
            if (!registration.leaving) {
                registration.member.idle();
            }
        }
    }

    private void closeQuietly() {
        try {
            selector.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "Ignored on close", e);
        }
    }

    /** One member's place in this loop. */
    final class Registration {

        private final Member member;
        private final CountDownLatch released = new CountDownLatch(1);
        private final List<Source> sources = new ArrayList<>(2);
        private volatile boolean leaving;
        private boolean queued; // this thread only

        private Registration(Member member) {
            this.member = member;
        }

        /** Only the first leave may count the member out of its loop. */
        private synchronized boolean firstLeave() {
            boolean first = !leaving;
            leaving = true;
            return first;
        }

        /**
         * Stops the callbacks and releases the sockets. Called from another thread, it returns
         * once the thread has done so (and has stopped, if this was its last member), waiting at
         * most {@value #LEAVE_WAIT_MILLIS} ms for a callback in progress; called from a callback,
         * it returns at once and the thread releases the sockets when the callback returns.
         * Idempotent.
         */
        void leave() {
            if (firstLeave()) {
                leavers.add(this);
                selector.wakeup();
            }
            if (Thread.currentThread() == thread) {
                return;
            }
            if (failed) {
                member.release(); // the thread may have released its leavers already
                return;
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LEAVE_WAIT_MILLIS);
            boolean interrupted = false;
            while (true) {
                long left = deadline - System.nanoTime();
                try {
                    if (!released.await(left, TimeUnit.NANOSECONDS)) {
                        LOG.log(System.Logger.Level.WARNING, "Receive thread {0} did not let {1} go within "
                                + "{2} ms (a receiver callback is blocked); closing its sockets anyway",
                                thread.getName(), member.describe(), LEAVE_WAIT_MILLIS);
                        member.release();
                    } else if (stopped) {
                        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                    }
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // finish leaving, then restore the flag
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One socket of a member, as the selector's attachment. */
    private static final class Source {

        final Registration registration;
        final DatagramChannel channel;
        boolean ready;

        Source(Registration registration, DatagramChannel channel) {
            this.registration = registration;
            this.channel = channel;
        }
    }
}
