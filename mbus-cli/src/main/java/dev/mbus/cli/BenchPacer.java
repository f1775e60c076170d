package dev.mbus.cli;

import java.util.concurrent.locks.LockSupport;

/** Paces the sends of {@code mbus bench}: message i goes at start + i / rate, or at once when late. */
final class BenchPacer {

    /** One send of a run. */
    interface Send {
        void send(int index) throws Exception;
    }

    /** When a run's first send began and its last one returned ({@link System#nanoTime()}). */
    record Span(long start, long end) {
        long nanos() {
            return end - start;
        }
    }

    private BenchPacer() {
    }

    /** Makes sends 0 to n - 1 at {@code rate} per second (0: as fast as they go). */
    static Span run(double rate, int n, Send send) throws Exception {
        long intervalNanos = rate > 0 ? Math.max(1, Math.round(1e9 / rate)) : 0;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (intervalNanos > 0) {
                long slot = start + i * intervalNanos;
                long left;
                while ((left = slot - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(left);
                }
            }
            send.send(i);
        }
        return new Span(start, System.nanoTime());
    }
}
