package dev.mbus.core.engine;

/**
 * Time as the engine sees it: a monotonic clock for timers and the wall clock for message
 * timestamps. Injected so that tests can drive every timer of the protocol deterministically.
 */
public interface MbusClock {

    /** Monotonic nanoseconds, as {@link System#nanoTime()}. */
    long nanoTime();

    /** Milliseconds since the epoch, as {@link System#currentTimeMillis()}. */
    long currentTimeMillis();

    /** The real clocks of the JVM. */
    static MbusClock system() {
        return SystemClock.INSTANCE;
    }

    /** The JVM's clocks. */
    enum SystemClock implements MbusClock {
        INSTANCE;

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long currentTimeMillis() {
            return System.currentTimeMillis();
        }
    }
}
