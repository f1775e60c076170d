package dev.mbus.core.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * Hands the futures users get over to the handler executor. A {@link CompletableFuture} runs
 * the callbacks chained without {@code ...Async} on whichever thread completes it; the engine
 * completes its own futures on the receive thread (acknowledgements, replies) and on the timer
 * thread (failures, timeouts), so a slow or blocking user callback would stall them: an
 * acknowledgement not read, a retransmission not sent, a reliable send that waits for room in
 * the window on the very thread that would make that room. The future users get completes
 * instead from a task run on the handler executor.
 *
 * <p>An executor that runs tasks on the calling thread ({@code Runnable::run}) gives this up.
 */
final class UserFutures {

    private final Executor executor;
    private final ExecutorFailures failures;

    UserFutures(Executor executor, ExecutorFailures failures) {
        this.executor = executor;
        this.failures = failures;
    }

    /**
     * A future that completes like {@code internal}, with the same value or the same exception,
     * from a task run on the executor. When the executor refuses that task, it runs on {@link
     * ForkJoinPool#commonPool()} rather than on the engine's thread, and the refusal goes to
     * {@link ExecutorFailures#executorRefused}.
     */
    <T> CompletableFuture<T> handOff(CompletableFuture<T> internal) {
        CompletableFuture<T> user = new CompletableFuture<>();
        internal.whenComplete((value, error) -> {
            Runnable completion = error == null ? () -> user.complete(value) : () -> user.completeExceptionally(error);
            try {
                executor.execute(completion);
            } catch (Throwable refused) {
                failures.executorRefused(refused);
                ForkJoinPool.commonPool().execute(completion);
            }
        });
        return user;
    }
}
