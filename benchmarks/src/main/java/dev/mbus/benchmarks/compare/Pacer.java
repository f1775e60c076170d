package dev.mbus.benchmarks.compare;

import java.util.concurrent.locks.LockSupport;

/** Paces sends on a fixed schedule: message i goes at start + i / rate, or at once when late. */
final class Pacer {

    private final long intervalNanos;
    private final long startNanos;

    Pacer(double rate, long startNanos) {
        this.intervalNanos = rate > 0 ? Math.max(1, Math.round(1e9 / rate)) : 0;
        this.startNanos = startNanos;
    }

    void await(long index) {
        if (intervalNanos == 0) {
            return;
        }
        long slot = startNanos + index * intervalNanos;
        long left;
        while ((left = slot - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }
}
