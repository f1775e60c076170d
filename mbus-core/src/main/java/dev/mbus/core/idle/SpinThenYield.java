package dev.mbus.core.idle;

import java.util.function.BooleanSupplier;

/**
 * Spins, then yields, for up to {@value #WAIT_NANOS} ns: longer than the gap between two
 * datagrams of a flow, far shorter than what a wake-up costs the machine in total. It does not
 * wait on the thread that submitted (an executor that runs tasks on the caller, or queues them
 * for that thread to run later, as the simulation's does): only that thread could add work.
 */
public final class SpinThenYield implements IdleWait {

    private static final int SPINS = 100;
    private static final long WAIT_NANOS = 50_000;

    @Override
    public boolean awaitMore(Thread submitter, BooleanSupplier more) {
        if (submitter == Thread.currentThread()) {
            return false;
        }
        for (int i = 0; i < SPINS; i++) {
            if (more.getAsBoolean()) {
                return true;
            }
            Thread.onSpinWait();
        }
        long deadline = System.nanoTime() + WAIT_NANOS;
        do {
            if (more.getAsBoolean()) {
                return true;
            }
            // Yields rather than spins: on a busy machine the thread that would submit may need this core.
            Thread.yield();
        } while (System.nanoTime() - deadline < 0);
        return more.getAsBoolean();
    }
}
