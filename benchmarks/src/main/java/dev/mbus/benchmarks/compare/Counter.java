package dev.mbus.benchmarks.compare;

import java.util.concurrent.atomic.AtomicLong;

/** What a receiver counted since the last reset, and the time from the first arrival to the last. */
public final class Counter {

    private final AtomicLong count = new AtomicLong();
    private volatile long first;
    private volatile long last;

    /** One message arrived. */
    public void hit() {
        long now = System.nanoTime();
        if (count.incrementAndGet() == 1) {
            first = now;
        }
        last = now;
    }

    void reset() {
        count.set(0);
        first = 0;
        last = 0;
    }

    long count() {
        return count.get();
    }

    /** From the first arrival to the last; 0 with fewer than two. */
    long spanNanos() {
        return count.get() < 2 ? 0 : Math.max(0, last - first);
    }
}
