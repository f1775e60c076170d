package dev.mbus.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UserFuturesTest {

    private final ExecutorService handlers = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "handler");
        thread.setDaemon(true);
        return thread;
    });
    private final RecordingFailures failures = new RecordingFailures();
    private final UserFutures futures = new UserFutures(handlers, failures);

    @AfterEach
    void stopHandlers() {
        handlers.shutdownNow();
    }

    @Test
    void theUsersFutureCompletesWithTheSameValueOnTheHandlerExecutor() throws Exception {
        CompletableFuture<String> internal = new CompletableFuture<>();
        CompletableFuture<String> user = futures.handOff(internal);
        CompletableFuture<Thread> calledOn = user.thenApply(value -> Thread.currentThread());

        internal.complete("acknowledged");

        // Waiting on user itself could run its dependents on this thread, so wait on the dependent only.
        assertThat(calledOn.get(10, TimeUnit.SECONDS).getName()).isEqualTo("handler");
        assertThat(user.getNow(null)).isEqualTo("acknowledged");
    }

    @Test
    void theUsersFutureFailsWithTheSameExceptionOnTheHandlerExecutor() throws Exception {
        CompletableFuture<String> internal = new CompletableFuture<>();
        CompletableFuture<String> user = futures.handOff(internal);
        CompletableFuture<Thread> calledOn = user.handle((value, error) -> Thread.currentThread());
        IllegalStateException failure = new IllegalStateException("no acknowledgement");

        internal.completeExceptionally(failure);

        assertThat(calledOn.get(10, TimeUnit.SECONDS).getName()).isEqualTo("handler");
        assertThat(user).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                .havingCause().isSameAs(failure);
    }

    @Test
    void aCallbackThatBlocksDoesNotHoldUpTheThreadThatCompletedTheFuture() throws Exception {
        CompletableFuture<String> internal = new CompletableFuture<>();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> callback = futures.handOff(internal).thenAccept(value -> {
            entered.countDown();
            await(release);
        });

        internal.complete("acknowledged"); // the receive thread's part: it must come back at once

        assertThat(callback).as("still blocked, but not on this thread").isNotDone();
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        release.countDown();
        assertThat(callback).succeedsWithin(10, TimeUnit.SECONDS);
    }

    @Test
    void aFutureAlreadyCompleteStillCompletesTheUsersOnlyThroughTheExecutor() {
        java.util.List<Runnable> queued = new java.util.ArrayList<>();
        CompletableFuture<String> user = new UserFutures(queued::add, failures)
                .handOff(CompletableFuture.completedFuture("done"));

        assertThat(user).isNotDone();
        queued.forEach(Runnable::run);
        assertThat(user).isCompletedWithValue("done");
    }

    @Test
    void whenTheExecutorRefusesTheFutureCompletesOffTheCallersThreadAndTheRefusalIsReported() throws Exception {
        Executor refusing = task -> {
            throw new RejectedExecutionException("shut down");
        };
        UserFutures refused = new UserFutures(refusing, failures);
        CompletableFuture<String> internal = new CompletableFuture<>();
        CompletableFuture<String> user = refused.handOff(internal);
        CompletableFuture<Thread> calledOn = user.thenApply(value -> Thread.currentThread());

        internal.complete("acknowledged");

        assertThat(calledOn.get(10, TimeUnit.SECONDS)).isNotSameAs(Thread.currentThread());
        assertThat(user.getNow(null)).isEqualTo("acknowledged");
        assertThat(failures.refusals).singleElement().asInstanceOf(InstanceOfAssertFactories.THROWABLE)
                .isInstanceOf(RejectedExecutionException.class);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
