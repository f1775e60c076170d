package dev.mbus.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UserFuturesTest {

    private final ExecutorService handlers = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "handler");
        thread.setDaemon(true);
        return thread;
    });
    private final RecordingFailures failures = new RecordingFailures();
    private final UserFutures futures = new UserFutures(new OrderedDispatcher(handlers, 10, failures));

    @AfterEach
    void stopHandlers() {
        handlers.shutdownNow();
    }

    @Test
    void theUsersFutureCompletesWithTheSameValueOnTheHandlerExecutor() throws Exception {
        CompletableFuture<String> internal = new CompletableFuture<>();
        CompletableFuture<String> user = futures.handOff(internal, "peer");
        CompletableFuture<Thread> calledOn = user.thenApply(value -> Thread.currentThread());

        internal.complete("acknowledged");

        // Waiting on user itself could run its dependents on this thread, so wait on the dependent only.
        assertThat(calledOn.get(10, TimeUnit.SECONDS).getName()).isEqualTo("handler");
        assertThat(user.getNow(null)).isEqualTo("acknowledged");
    }

    @Test
    void theUsersFutureFailsWithTheSameExceptionOnTheHandlerExecutor() throws Exception {
        CompletableFuture<String> internal = new CompletableFuture<>();
        CompletableFuture<String> user = futures.handOff(internal, "peer");
        CompletableFuture<Thread> calledOn = user.handle((value, error) -> Thread.currentThread());
        IllegalStateException failure = new IllegalStateException("no acknowledgement");

        internal.completeExceptionally(failure);

        assertThat(calledOn.get(10, TimeUnit.SECONDS).getName()).isEqualTo("handler");
        assertThat(user).isCompletedExceptionally();
        try {
            user.get();
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isSameAs(failure);
        }
    }

    @Test
    void aCallbackThatBlocksDoesNotHoldUpTheThreadThatCompletedTheFuture() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> internal = new CompletableFuture<>();
        CompletableFuture<Void> callback = futures.handOff(internal, "peer").thenAccept(value -> {
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
        List<Runnable> queued = new ArrayList<>();
        CompletableFuture<String> user = new UserFutures(new OrderedDispatcher(queued::add, 10, failures))
                .handOff(CompletableFuture.completedFuture("done"), "peer");

        assertThat(user).isNotDone();
        queued.forEach(Runnable::run);
        assertThat(user).isCompletedWithValue("done");
    }

    @Test
    void theFuturesOfOneDestinationCompleteInTheOrderTheirOutcomesCameAndShareOneRun() {
        List<Runnable> queued = new ArrayList<>();
        UserFutures inOrder = new UserFutures(new OrderedDispatcher(queued::add, 10, failures));
        List<Integer> completed = new ArrayList<>();
        List<CompletableFuture<Integer>> internals = new ArrayList<>();
        for (int n = 0; n < 5; n++) {
            CompletableFuture<Integer> internal = new CompletableFuture<>();
            internals.add(internal);
            inOrder.handOff(internal, "peer").thenAccept(completed::add);
        }

        for (int n = 4; n >= 0; n--) {
            internals.get(n).complete(n);
        }

        assertThat(queued).as("one run of the executor for the burst").hasSize(1);
        queued.get(0).run();
        assertThat(completed).containsExactly(4, 3, 2, 1, 0);
    }

    @Test
    void theSendsOfOneMessageCompleteInOneTaskInTheirOrderEvenWhenACallbackThrows() {
        List<Runnable> queued = new ArrayList<>();
        UserFutures grouped = new UserFutures(new OrderedDispatcher(queued::add, 10, failures));
        List<Integer> completed = new ArrayList<>();
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            int which = n;
            CompletableFuture<Void> send = new CompletableFuture<>();
            send.thenRun(() -> {
                completed.add(which);
                throw new IllegalStateException("a callback's bug");
            });
            sends.add(send);
        }

        grouped.completeAll(sends, null, "peer");

        assertThat(sends).as("nothing completes on the thread that read the acknowledgement").noneMatch(CompletableFuture::isDone);
        assertThat(queued).as("one task for the whole message").hasSize(1);
        queued.get(0).run();
        assertThat(completed).containsExactly(0, 1, 2);
        assertThat(sends).allMatch(send -> send.isDone() && !send.isCompletedExceptionally());
        assertThat(failures.taskFailures).as("a callback's failure is its own future's").isEmpty();
    }

    @Test
    void theSendsOfAFailedMessageAllFailWithItsError() {
        List<Runnable> queued = new ArrayList<>();
        UserFutures grouped = new UserFutures(new OrderedDispatcher(queued::add, 10, failures));
        List<CompletableFuture<Void>> sends = List.of(new CompletableFuture<>(), new CompletableFuture<>());
        IllegalStateException failure = new IllegalStateException("no acknowledgement");

        grouped.completeAll(sends, failure, "peer");
        queued.forEach(Runnable::run);

        assertThat(sends).allSatisfy(send -> assertThat(send).failsWithin(java.time.Duration.ZERO)
                .withThrowableOfType(ExecutionException.class).havingCause().isSameAs(failure));
    }

    @Test
    void aHandlerOfAPeersCommandCanWaitForTheFutureOfASendBackToThatPeer() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2, task -> {
            Thread thread = new Thread(task, "handler-pool");
            thread.setDaemon(true);
            return thread;
        });
        try {
            OrderedDispatcher dispatcher = new OrderedDispatcher(pool, 10, failures);
            UserFutures userFutures = new UserFutures(dispatcher);
            CompletableFuture<String> internal = new CompletableFuture<>();
            CompletableFuture<String> waited = new CompletableFuture<>();
            // A handler of a command from "peer" (the engine keys handlers by sender) that sends
            // back to "peer" and waits for the acknowledgement, as a synchronous reply does.
            dispatcher.submit("peer", () -> {
                CompletableFuture<String> user = userFutures.handOff(internal, "peer");
                internal.complete("acknowledged");
                try {
                    waited.complete(user.get(5, TimeUnit.SECONDS));
                } catch (Exception e) {
                    waited.completeExceptionally(e);
                }
            }, true);

            assertThat(waited.get(10, TimeUnit.SECONDS)).isEqualTo("acknowledged");
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
