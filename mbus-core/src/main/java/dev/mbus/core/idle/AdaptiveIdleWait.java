package dev.mbus.core.idle;

import java.util.function.BooleanSupplier;

/**
 * Waits for more only while waiting pays. An idle wait saves a hand-over and a wake-up when more
 * comes within it, as it does while a flow goes at full speed; for a sender slower than that
 * (10,000 messages a second is one every 100 µs), each wait is a core's time spent for nothing,
 * on every thread that waits so. So after a wait in vain the next call gives its thread back at
 * once, after two in a row the next two do, and so on, twice as many each time up to
 * {@value #MAX_SKIPPED_RUNS}; the first wait that finds more makes every call wait again.
 *
 * <p>Threads may share one instance without a lock (the handler threads do): a race only blurs
 * the count, and the count decides only how soon a thread is given back, never what runs or in
 * which order.
 */
public final class AdaptiveIdleWait implements IdleWait {

    /** Most runs in a row that give their thread back without waiting, before one looks again. */
    public static final int MAX_SKIPPED_RUNS = 64;

    private final IdleWait wait;
    /** Runs left that do not wait. */
    private volatile int toSkip;
    /** How many runs the next wait in vain makes skip. */
    private volatile int skipAfterMiss = 1;

    public AdaptiveIdleWait(IdleWait wait) {
        this.wait = wait;
    }

    @Override
    public boolean awaitMore(Thread submitter, BooleanSupplier more) {
        int skip = toSkip;
        if (skip > 0) {
            toSkip = skip - 1;
            return more.getAsBoolean();
        }
        if (wait.awaitMore(submitter, more)) {
            skipAfterMiss = 1;
            return true;
        }
        int skipped = skipAfterMiss;
        toSkip = skipped;
        skipAfterMiss = Math.min(2 * skipped, MAX_SKIPPED_RUNS);
        return false;
    }
}
