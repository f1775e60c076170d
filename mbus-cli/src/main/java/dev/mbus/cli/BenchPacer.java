package dev.mbus.cli;

import java.util.concurrent.locks.LockSupport;

/** Paces the sends of {@code mbus bench}: message i goes at start + i / rate, or at once when late. */
final class BenchPacer {

    private final long intervalNanos;
    private long start;

    /** {@code rate} messages per second; 0: no pacing. */
    BenchPacer(double rate) {
        this.intervalNanos = rate > 0 ? Math.max(1, Math.round(1e9 / rate)) : 0;
    }

    void start(long nanos) {
        start = nanos;
    }

    void await(long index) {
        if (intervalNanos == 0) {
            return;
        }
        long slot = start + index * intervalNanos;
        long left;
        while ((left = slot - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }
}
