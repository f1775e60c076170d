package dev.mbus.core.transport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The receive threads of this JVM's transports, by bus port. Every datagram sent to the group
 * wakes each thread that waits on a socket of the group, so with a thread per entity every hello
 * on a bus of {@code N} entities in one JVM would wake {@code N} threads. The transports of a bus
 * share at most {@link #THREADS_PER_BUS} threads instead: the first ones get a thread each (a
 * busy sender and receiver in one JVM keep a core each), later ones join the least loaded.
 */
final class ReceiveLoops {

    /** At least two, so two busy entities of one JVM do not take turns; at most four, so a hello wakes few. */
    static final int THREADS_PER_BUS = Math.min(4, Math.max(2, Runtime.getRuntime().availableProcessors()));

    /** Guarded by itself, as are the loops' member counts. */
    private static final Map<Integer, List<ReceiveLoop>> BY_PORT = new HashMap<>();

    private ReceiveLoops() {
    }

    /** Hands {@code member} to a receive thread of the bus on {@code port}, starting one if there are few. */
    static ReceiveLoop.Registration join(int port, ReceiveLoop.Member member) throws IOException {
        synchronized (BY_PORT) {
            List<ReceiveLoop> loops = BY_PORT.computeIfAbsent(port, p -> new ArrayList<>());
            ReceiveLoop loop;
            if (loops.size() < THREADS_PER_BUS) {
                loop = ReceiveLoop.start(port);
                loops.add(loop);
            } else {
                loop = loops.stream().min(Comparator.comparingInt(l -> l.members)).orElseThrow();
            }
            loop.members++;
            return loop.admit(member);
        }
    }

    /** {@code loop} has failed: the next members of its bus get a new one. */
    static void failed(ReceiveLoop loop) {
        synchronized (BY_PORT) {
            forget(loop);
        }
    }

    /** A member has left {@code loop}: true if that was its last one, and it must stop now. */
    static boolean left(ReceiveLoop loop) {
        synchronized (BY_PORT) {
            if (--loop.members > 0) {
                return false;
            }
            forget(loop);
            return true;
        }
    }

    private static void forget(ReceiveLoop loop) {
        List<ReceiveLoop> loops = BY_PORT.get(loop.port);
        if (loops != null && loops.remove(loop) && loops.isEmpty()) {
            BY_PORT.remove(loop.port);
        }
    }
}
