package dev.mbus.core.engine;

import java.time.Duration;

/** A clock that moves only when a test says so. */
public final class ManualClock implements MbusClock {

    private long nanos = 1_000_000_000L;
    private long epochMillis = 1_795_672_000_000L;

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    @Override
    public synchronized long currentTimeMillis() {
        return epochMillis + nanos / 1_000_000;
    }

    public synchronized void advance(Duration duration) {
        nanos += duration.toNanos();
    }
}
