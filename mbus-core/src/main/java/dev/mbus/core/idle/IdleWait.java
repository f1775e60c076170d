package dev.mbus.core.idle;

import java.util.function.BooleanSupplier;

/**
 * How a thread that has run out of work waits a few microseconds for more before it gives its
 * core back: while a flow goes at full speed, the next datagram or task comes within the wait,
 * and the thread that brings it wakes nobody.
 */
@FunctionalInterface
public interface IdleWait {

    /**
     * Waits a short while for {@code more} to become true; returns whether it did.
     *
     * @param submitter the one thread that can bring more, or null when others can (the kernel):
     *                  when it is the waiting thread itself, waiting is pointless
     */
    boolean awaitMore(Thread submitter, BooleanSupplier more);
}
