package dev.mbus.core.awareness;

import java.util.random.RandomGenerator;

/**
 * When to say hello and when a silent peer is gone (protocol §7): the interval is
 * max(c_hello_min, c_hello_factor x n) x d, with d uniform in [0.9, 1.1] drawn anew each time.
 */
public final class HelloSchedule {

    private final long minNanos;
    private final long factorNanos;
    private final int deadIntervals;
    private final RandomGenerator random;

    public HelloSchedule(long minNanos, long factorNanos, int deadIntervals, RandomGenerator random) {
        this.minNanos = minNanos;
        this.factorNanos = factorNanos;
        this.deadIntervals = deadIntervals;
        this.random = random;
    }

    /** The undithered interval when {@code knownPeers} entities are known. */
    public long baseIntervalNanos(int knownPeers) {
        return Math.max(minNanos, factorNanos * knownPeers);
    }

    /** The next interval, dithered. */
    public long nextIntervalNanos(int knownPeers) {
        double dither = 0.9 + 0.2 * random.nextDouble();
        return (long) (baseIntervalNanos(knownPeers) * dither);
    }

    /** How many intervals of silence make a peer gone. */
    public int deadIntervals() {
        return deadIntervals;
    }

    /** Silence after which a peer is considered gone. */
    public long deadAfterNanos(int knownPeers) {
        return baseIntervalNanos(knownPeers) * deadIntervals;
    }
}
