package dev.mbus.core.engine;

import dev.mbus.core.DeliveryException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Futures waiting for something to be heard (a reply, a go, a peer), each with a deadline
 * checked by the entity's timer, so that tests driving a manual clock see timeouts too.
 *
 * @param <T> what is heard
 * @param <R> what a waiter completes with
 */
final class Waiters<T, R> {

    private record Waiter<T, R>(Predicate<T> matches, Function<T, R> result, CompletableFuture<R> future,
            long deadlineNanos, Supplier<String> timeoutMessage) {
    }

    private final List<Waiter<T, R>> waiting = new CopyOnWriteArrayList<>();

    /** Adds a waiter; it leaves the list when its future completes, whichever way. */
    CompletableFuture<R> add(Predicate<T> matches, Function<T, R> result, long deadlineNanos, String timeoutMessage) {
        return add(matches, result, deadlineNanos, () -> timeoutMessage);
    }

    /** {@link #add(Predicate, Function, long, String)} with a timeout message made when the time is up. */
    CompletableFuture<R> add(Predicate<T> matches, Function<T, R> result, long deadlineNanos,
            Supplier<String> timeoutMessage) {
        CompletableFuture<R> future = new CompletableFuture<>();
        Waiter<T, R> waiter = new Waiter<>(matches, result, future, deadlineNanos, timeoutMessage);
        waiting.add(waiter);
        future.whenComplete((value, error) -> waiting.remove(waiter));
        return future;
    }

    /**
     * Completes the waiters that {@code heard} satisfies: only the oldest when {@code firstOnly}.
     *
     * @return whether any was completed
     */
    boolean offer(T heard, boolean firstOnly) {
        boolean any = false;
        for (Waiter<T, R> waiter : waiting) {
            if (waiter.matches.test(heard) && waiter.future.complete(waiter.result.apply(heard))) {
                any = true;
                if (firstOnly) {
                    break;
                }
            }
        }
        return any;
    }

    /** Whether any waiter is pending: its timeout needs the timer's ticks. */
    boolean hasWaiters() {
        return !waiting.isEmpty();
    }

    void expire(long nowNanos) {
        for (Waiter<T, R> waiter : waiting) {
            if (nowNanos - waiter.deadlineNanos >= 0) {
                waiter.future.completeExceptionally(
                        new DeliveryException(DeliveryException.Reason.TIMEOUT, waiter.timeoutMessage.get()));
            }
        }
    }

    void failAll(DeliveryException.Reason reason, String message) {
        for (Waiter<T, R> waiter : waiting) {
            waiter.future.completeExceptionally(new DeliveryException(reason, message));
        }
    }
}
