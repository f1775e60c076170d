package dev.mbus.core.engine;

import java.time.Duration;

/**
 * The JVM's clocks with the wall clock set off: the timestamps of a host whose clock is wrong,
 * for tests of the freshness window on a real bus.
 *
 * @param offset added to the wall clock; negative for a clock that is behind
 */
public record SkewedClock(Duration offset) implements MbusClock {

    /** A wall clock {@code lag} behind. */
    public static SkewedClock behind(Duration lag) {
        return new SkewedClock(lag.negated());
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public long currentTimeMillis() {
        return System.currentTimeMillis() + offset.toMillis();
    }
}
