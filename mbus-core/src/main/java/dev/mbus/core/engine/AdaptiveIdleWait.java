package dev.mbus.core.engine;

import java.util.function.BooleanSupplier;

/**
 * Waits for more only while waiting pays. A run's idle wait saves a hand-over and a wake-up when
 * the next task comes within it, as it does while a flow goes at full speed; for a sender slower
 * than that (10,000 messages a second is one every 100 µs), each wait is a core's time spent for
 * nothing, on the handler threads of every entity. So after a wait in vain the next run gives its
 * thread back at once, after two in a row the next two do, and so on, twice as many each time up
 * to {@value #MAX_SKIPPED_RUNS}; the first wait that finds more makes every run wait again.
 *
 * <p>Handler threads share one instance without a lock: a race only blurs the count, and the
 * count decides only how soon a thread is given back, never what runs or in which order.
 */
final class AdaptiveIdleWait implements OrderedDispatcher.IdleWait {

    /** Most runs in a row that give their thread back without waiting, before one looks again. */
    static final int MAX_SKIPPED_RUNS = 64;

    private final OrderedDispatcher.IdleWait wait;
    /** Runs left that do not wait. */
    private volatile int toSkip;
    /** How many runs the next wait in vain makes skip. */
    private volatile int skipAfterMiss = 1;

    AdaptiveIdleWait(OrderedDispatcher.IdleWait wait) {
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
