package dev.mbus.core.transport;

import dev.mbus.core.idle.AdaptiveIdleWait;
import dev.mbus.core.idle.IdleWait;
import dev.mbus.core.idle.SpinThenYield;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One receive thread, {@code mbus-receive-<port>}, selecting over the sockets of the transports
 * {@link ReceiveLoops} gives it: each transport's own socket, and one {@link GroupSocket} per
 * group for all of them (the others they opened are closed), so that a group datagram reaches
 * this JVM once per thread, not once per entity. It takes the ready sockets in turns, draining
 * at most {@value #TURN} datagrams from each, so that a flooded one does not starve the others;
 * a transport none of whose sockets has anything left gets its {@link Member#idle()} when they
 * are still empty at the thread's next look for work: while a flow keeps coming within the idle
 * wait, what idle does (a bare acknowledgement of what came) gathers instead of going out for
 * every moment the socket happened to be empty.
 * Joining and leaving are handled between turns, on this thread, so a member never gets a
 * callback after its {@link Registration#leave()} returned. The thread stops when its last member
 * leaves.
 */
final class ReceiveLoop {

    /** The transport's side: its sockets and what to do with what they receive. */
    interface Member {

        /** The socket only this member receives on: the datagrams sent to its endpoint. */
        DatagramChannel channel();

        /** The group socket it opened, now the loop's to keep or close; null if it has none. */
        GroupSocket takeGroupSocket();

        /** One datagram, {@code buffer[0, length)}, valid during the call only. */
        void take(byte[] buffer, int length, InetSocketAddress sender);

        /** A receive on one of its sockets failed. */
        void receiveFailed(IOException e);

        /** Everything its sockets had is delivered. */
        void idle();

        /** Closes its own socket and the group socket if it still has it; idempotent, called on any thread. */
        void release();

        String describe();
    }

    private static final System.Logger LOG = System.getLogger(ReceiveLoop.class.getName());

    /** Largest UDP payload is 65,507 (IPv4) / 65,527 (IPv6) bytes: one buffer fits any datagram. */
    private static final int RECEIVE_BUFFER_SIZE = 65_536;
    private static final long LEAVE_WAIT_MILLIS = 5_000;
    private static final int TURN = 64;
    /** Bounds the drains of a member's admission, so that a flood cannot hold up the others. */
    private static final int ADMISSION_TURNS = 1_024;

    final int port;
    /** Guarded by {@link ReceiveLoops}. */
    int members;

    private final Selector selector;
    private final Thread thread;
    private final Queue<Registration> arriving = new ConcurrentLinkedQueue<>();
    private final Queue<Registration> leavers = new ConcurrentLinkedQueue<>();

    // This thread only.
    private final ByteBuffer buffer = ByteBuffer.allocate(RECEIVE_BUFFER_SIZE);
    private final ArrayDeque<Source> ready = new ArrayDeque<>();
    private final Map<GroupSocket.Key, Source> groups = new HashMap<>();
    private final Consumer<SelectionKey> onReady = this::markReady;
    /**
     * Before the thread blocks, it polls a few microseconds for more: while a flow goes at full
     * speed the next datagram comes within that, and the sender's {@code sendto} then wakes no
     * thread (waking this one was a quarter of a sender's time). Only while such polls pay.
     */
    private final IdleWait idleWait = new AdaptiveIdleWait(new SpinThenYield());
    private final BooleanSupplier workArrived = this::hasWork;
    /** The sockets the last turns found empty: their members are idle unless more came since. */
    private final List<Source> drained = new ArrayList<>();

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
                if (ready.isEmpty() && !idleWait.awaitMore(null, workArrived)) {
                    idleWhereStillDone();
                    selector.select(onReady);
                } else {
                    selector.selectNow(onReady);
                    idleWhereStillDone();
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

    /** Whether a socket is ready, or a member arrives or leaves: polled while the thread waits for more. */
    private boolean hasWork() {
        try {
            return selector.selectNow(onReady) > 0 || !arriving.isEmpty() || !leavers.isEmpty();
        } catch (IOException e) {
            return true; // the blocking select that follows reports it
        }
    }

    private void admitArriving() {
        Registration registration;
        while ((registration = arriving.poll()) != null) {
            Member member = registration.member;
            registration.own = new Source(member.channel(), List.of(registration), null);
            GroupSocket offered = member.takeGroupSocket();
            if (offered != null) {
                shareGroup(offered, registration);
            }
            try {
                registration.own.channel.register(selector, SelectionKey.OP_READ, registration.own);
            } catch (ClosedChannelException e) {
                // Closed by a leave that timed out; the leave is queued too.
            }
        }
    }

    /**
     * Makes {@code registration} a member of the source for the group of {@code offered}: the one
     * this thread has, else {@code offered} itself. What came to {@code offered} since it joined
     * goes to its member before it is closed, after the shared socket has handed what it had to
     * the members before: so nothing is lost, and only a datagram that comes between the two can
     * reach the newcomer twice. Those who got something are idle after it, as after a turn.
     */
    private void shareGroup(GroupSocket offered, Registration registration) {
        Source group = groups.get(offered.key);
        if (group != null) {
            drainAll(group);
            drainAll(new Source(offered.channel, List.of(registration), null));
            group.socket.replace(offered);
        } else {
            group = new Source(offered.channel, new ArrayList<>(), offered);
            groups.put(offered.key, group);
            try {
                offered.channel.register(selector, SelectionKey.OP_READ, group);
            } catch (ClosedChannelException e) {
                throw new IllegalStateException("A group socket was closed before it was shared", e);
            }
        }
        group.members.add(registration);
        registration.group = group;
        idleWhereDone(group);
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
            leaveGroup(registration);
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

    /** Takes {@code registration} out of its group; the last one out closes the group socket. */
    private void leaveGroup(Registration registration) {
        Source group = registration.group;
        if (group != null && group.members.remove(registration) && group.members.isEmpty()) {
            groups.remove(group.socket.key);
            group.socket.close();
        }
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
        if (!source.ready) {
            source.ready = true;
            ready.add(source);
        }
    }

    /** One turn for each socket that was ready; those that may have more queue again. */
    private void takeTurns() {
        for (int turns = ready.size(); turns > 0; turns--) {
            Source source = ready.poll();
            source.ready = drain(source);
            if (source.ready) {
                ready.add(source);
            } else {
                drained.add(source);
            }
        }
    }

    /** The sockets found empty that have nothing new since: their members are idle. */
    private void idleWhereStillDone() {
        for (Source source : drained) {
            idleWhereDone(source);
        }
        drained.clear();
    }

    /** {@code source} has nothing left: its members none of whose sockets has anything left are idle. */
    private void idleWhereDone(Source source) {
        for (Registration registration : source.members) {
            if (!registration.leaving && !registration.own.ready
                    && (registration.group == null || !registration.group.ready)) {
                registration.member.idle();
            }
        }
    }

    /** Hands what {@code source} has to its members, at most {@value #ADMISSION_TURNS} turns' worth. */
    private void drainAll(Source source) {
        for (int turn = 0; turn < ADMISSION_TURNS && drain(source); turn++) {
            // Each turn delivered a full turn's worth: there may be more.
        }
    }

    /** Hands up to a turn's worth of datagrams from {@code source} to its members; true if there may be more. */
    private boolean drain(Source source) {
        byte[] bytes = buffer.array();
        for (int i = 0; i < TURN; i++) {
            buffer.clear();
            InetSocketAddress sender;
            try {
                sender = (InetSocketAddress) source.channel.receive(buffer);
            } catch (IOException e) {
                for (Registration registration : source.members) {
                    registration.member.receiveFailed(e);
                }
                return false;
            }
            if (sender == null) {
                return false;
            }
            for (Registration registration : source.members) {
                if (!registration.leaving) {
                    registration.member.take(bytes, buffer.position(), sender);
                }
            }
        }
        return true;
    }

    private void closeQuietly() {
        groups.values().forEach(group -> group.socket.close());
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
        private volatile boolean leaving;
        // This thread only.
        private Source own;
        private Source group;

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

    /** A socket and the members it delivers to (one, or all that share a group), as the selector's attachment. */
    private static final class Source {

        final DatagramChannel channel;
        final List<Registration> members;
        /** The group socket this source is; null for a member's own. */
        final GroupSocket socket;
        boolean ready;

        Source(DatagramChannel channel, List<Registration> members, GroupSocket socket) {
            this.channel = channel;
            this.members = members;
            this.socket = socket;
        }
    }
}
