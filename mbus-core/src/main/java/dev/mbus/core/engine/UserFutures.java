package dev.mbus.core.engine;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Hands the futures users get over to the handler executor. A {@link CompletableFuture} runs
 * the callbacks chained without {@code ...Async} on whichever thread completes it; the engine
 * completes its own futures on the receive thread (acknowledgements, replies) and on the timer
 * thread (failures, timeouts), so a slow or blocking user callback would stall them: an
 * acknowledgement not read, a retransmission not sent, a reliable send that waits for room in
 * the window on the very thread that would make that room. The future users get completes
 * instead from a task on the handler executor.
 *
 * <p>The task goes through the {@link OrderedDispatcher}, keyed by the destination the send or
 * request was addressed to: the futures of sends to one destination complete in order, one at a
 * time, and a burst of acknowledgements is completed by one run of the executor rather than one
 * wake-up each. A slow callback delays only the later completions for that destination.
 * Completions have queues of their own, apart from the handlers of commands from that same
 * entity: a handler that sends back to its sender and waits for the acknowledgement would
 * otherwise wait for a completion queued behind itself.
 *
 * <p>An executor that runs tasks on the calling thread ({@code Runnable::run}) gives this up.
 */
final class UserFutures {

    private final OrderedDispatcher dispatcher;

    UserFutures(OrderedDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /**
     * A future that completes like {@code internal}, with the same value or the same exception,
     * from a task queued under {@code key} (the destination the send or request was addressed to).
     */
    <T> CompletableFuture<T> handOff(CompletableFuture<T> internal, Object key) {
        CompletableFuture<T> user = new CompletableFuture<>();
        internal.whenComplete((value, error) -> submit(key,
                error == null ? () -> user.complete(value) : () -> user.completeExceptionally(error)));
        return user;
    }

    /**
     * Completes the users' {@code futures}, normally when {@code error} is null, from one task
     * queued under {@code key}: the reliable sends one message carried are acknowledged at once,
     * so a batch of them costs one hand-over, not one each.
     */
    void completeAll(List<CompletableFuture<Void>> futures, Throwable error, Object key) {
        submit(key, () -> {
            for (CompletableFuture<Void> future : futures) {
                // complete() does not throw what a callback throws: that fails the callback's own future.
                if (error == null) {
                    future.complete(null);
                } else {
                    future.completeExceptionally(error);
                }
            }
        });
    }

    private void submit(Object key, Runnable completion) {
        dispatcher.submit(new CompletionsFor(key), completion, true);
    }

    /** The dispatcher key of the completions for one destination; never equal to a sender's key. */
    private record CompletionsFor(Object destination) {
    }
}
