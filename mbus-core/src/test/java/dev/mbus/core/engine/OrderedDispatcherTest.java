package dev.mbus.core.engine;

import static dev.mbus.core.testsupport.Parked.awaitParked;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.core.idle.SpinThenYield;
import dev.mbus.core.testsupport.Parked;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OrderedDispatcherTest {

    private final RecordingFailures failures = new RecordingFailures();
    private final StepExecutor executor = new StepExecutor();
    private final List<String> ran = new ArrayList<>();

    static Stream<Throwable> failures() {
        return Stream.of(new AssertionError("a listener's assertion"), new IllegalStateException("a handler's bug"),
                new StackOverflowError("deep recursion"));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void aTaskThatThrowsIsReportedOnceAndTheSendersOtherTasksStillRun(Throwable failure) {
        OrderedDispatcher dispatcher = new OrderedDispatcher(executor, 10, failures);
        dispatcher.submit("a", () -> {
            throw unchecked(failure);
        }, false);
        dispatcher.submit("a", () -> ran.add("queued behind it"), false);
        executor.runAll();
        dispatcher.submit("a", () -> ran.add("submitted later"), false);
        executor.runAll();

        assertThat(ran).containsExactly("queued behind it", "submitted later");
        assertThat(failures.taskFailures).containsExactly(failure);
        assertThat(executor.escaped).as("nothing escapes to the executor's thread").isEmpty();
        assertThat(dispatcher.pending()).isZero();
    }

    @Test
    void aQueueTheExecutorRefusesRunsNothingOnTheCallerAndIsHandedOverAgainAtTheNextSubmit() {
        StepExecutor refusingOnce = executor.refusing(1);
        OrderedDispatcher dispatcher = new OrderedDispatcher(refusingOnce, 10, failures);

        assertThat(dispatcher.submit("a", () -> ran.add("one"), false)).as("kept, not dropped").isTrue();
        assertThat(ran).as("not run on the submitting thread").isEmpty();
        assertThat(failures.refusals).singleElement().isInstanceOf(RejectedExecutionException.class);
        assertThat(dispatcher.pending()).isEqualTo(1);

        dispatcher.submit("a", () -> ran.add("two"), false);
        refusingOnce.runAll();

        assertThat(ran).containsExactly("one", "two");
        assertThat(dispatcher.pending()).isZero();
        assertThat(failures.refusals).hasSize(1);
    }

    @Test
    void aRunRefusedWhenHandingItsThreadBackGoesOnOnTheThreadItHas() {
        StepExecutor refusingTheHandBack = executor.refusing(2);
        OrderedDispatcher dispatcher = new OrderedDispatcher(refusingTheHandBack, 1000, failures);
        for (int i = 0; i < 100; i++) {
            dispatcher.submit("a", () -> ran.add("a"), false);
        }

        refusingTheHandBack.runNext();

        assertThat(ran).hasSize(100);
        assertThat(failures.refusals).hasSize(1);
        assertThat(refusingTheHandBack.queued()).isZero();
        assertThat(dispatcher.pending()).isZero();
    }

    @Test
    void tasksAddedWhileASendersQueueRunsAreRunInTheSameTurn() {
        OrderedDispatcher dispatcher = new OrderedDispatcher(executor, 10, failures);
        dispatcher.submit("a", () -> {
            ran.add("one");
            dispatcher.submit("a", () -> ran.add("two"), false);
        }, false);

        executor.runNext();

        assertThat(ran).containsExactly("one", "two");
        assertThat(executor.calls).as("handed to the executor once").isEqualTo(1);
    }

    @Test
    void aTaskSubmittedWhileTheRunWaitsForMoreRunsInTheSameTurnWithNoNewHandOver() {
        AtomicReference<OrderedDispatcher> self = new AtomicReference<>();
        AtomicInteger waits = new AtomicInteger();
        // The receive thread's next datagram arrives while the handler thread waits for more.
        OrderedDispatcher dispatcher = new OrderedDispatcher(executor, 10, failures, (submitter, more) -> {
            if (waits.incrementAndGet() == 1) {
                self.get().submit("a", () -> ran.add("two"), false);
            }
            return more.getAsBoolean();
        });
        self.set(dispatcher);
        dispatcher.submit("a", () -> ran.add("one"), false);

        executor.runNext();

        assertThat(ran).containsExactly("one", "two");
        assertThat(executor.calls).as("handed to the executor once for the whole burst").isEqualTo(1);
        assertThat(waits).as("waited again after the second task, then gave up").hasValue(2);
        assertThat(dispatcher.pending()).isZero();
    }

    @Test
    void aRunThatWaitedInVainGivesItsThreadBackAndTheNextSubmitHandsTheQueueOverAgain() {
        OrderedDispatcher dispatcher = new OrderedDispatcher(executor, 10, failures, (submitter, more) -> false);
        dispatcher.submit("a", () -> ran.add("one"), false);
        executor.runAll();
        dispatcher.submit("a", () -> ran.add("two"), false);
        executor.runAll();

        assertThat(ran).containsExactly("one", "two");
        assertThat(executor.calls).isEqualTo(2);
        assertThat(executor.queued()).isZero();
    }

    @Test
    void aRunOnTheThreadThatSubmittedNeverWaitsForMore() throws Exception {
        // An executor that runs tasks on the caller, or queues them for the caller to run later (the
        // simulation's), leaves only that thread to add work: waiting would only burn its time.
        AtomicInteger looked = new AtomicInteger();
        assertThat(new SpinThenYield().awaitMore(Thread.currentThread(),
                () -> looked.incrementAndGet() > 1)).isFalse();
        assertThat(looked).hasValue(0);

        Thread other = new Thread(() -> { });
        assertThat(new SpinThenYield().awaitMore(other, () -> looked.incrementAndGet() > 1))
                .as("on a pool thread it looks until more comes").isTrue();
    }

    @Test
    void theWaitIsToldWhichThreadHandedTheQueueOver() throws Exception {
        List<Thread> toldSubmitters = new CopyOnWriteArrayList<>();
        OrderedDispatcher dispatcher = new OrderedDispatcher(executor, 10, failures, (submitter, more) -> {
            toldSubmitters.add(submitter);
            return false;
        });
        dispatcher.submit("a", () -> ran.add("one"), false);
        Thread pool = new Thread(executor::runAll);
        pool.start();
        pool.join(10_000);

        assertThat(ran).containsExactly("one");
        assertThat(toldSubmitters).containsExactly(Thread.currentThread());
    }

    @Test
    void theBoundCountsTasksTakenForTheRunButNotYetStarted() {
        AtomicReference<OrderedDispatcher> self = new AtomicReference<>();
        List<Boolean> roomSeen = new ArrayList<>();
        OrderedDispatcher dispatcher = new OrderedDispatcher(executor, 1, failures, (submitter, more) -> false);
        self.set(dispatcher);
        dispatcher.submit("a", () -> roomSeen.add(self.get().hasRoom("a")), false);
        dispatcher.submit("a", () -> ran.add("second"), true);

        executor.runAll();

        assertThat(roomSeen).as("while the first runs, the second still waits").containsExactly(false);
        assertThat(ran).containsExactly("second");
        assertThat(dispatcher.hasRoom("a")).isTrue();
    }

    @Test
    void aBusySenderHandsItsThreadBackSoThatOthersGetATurn() {
        OrderedDispatcher dispatcher = new OrderedDispatcher(executor, 1000, failures);
        for (int i = 0; i < 200; i++) {
            dispatcher.submit("busy", () -> ran.add("busy"), false);
        }
        dispatcher.submit("other", () -> ran.add("other"), false);

        executor.runAll();

        assertThat(ran).hasSize(201);
        assertThat(ran.indexOf("other")).as("before the busy sender's last task").isLessThan(200);
    }

    @Test
    void aFullQueueTakesNoMoreUnlessTheTaskWasAdmitted() {
        OrderedDispatcher dispatcher = new OrderedDispatcher(executor, 2, failures);
        assertThat(dispatcher.submit("a", () -> ran.add("1"), false)).isTrue();
        assertThat(dispatcher.submit("a", () -> ran.add("2"), false)).isTrue();

        assertThat(dispatcher.hasRoom("a")).isFalse();
        assertThat(dispatcher.hasRoom("b")).isTrue();
        assertThat(dispatcher.submit("a", () -> ran.add("refused"), false)).isFalse();
        assertThat(dispatcher.submit("a", () -> ran.add("admitted"), true)).isTrue();
        executor.runAll();

        assertThat(ran).containsExactly("1", "2", "admitted");
        assertThat(dispatcher.hasRoom("a")).isTrue();
    }

    @Test
    void aTaskOfSeveralCallsCountsEachOfThemAgainstTheBoundUntilItStarts() {
        OrderedDispatcher dispatcher = new OrderedDispatcher(executor, 3, failures);
        assertThat(dispatcher.submit("a", () -> ran.add("two calls"), 2, false)).isTrue();
        assertThat(dispatcher.hasRoom("a")).isTrue();
        assertThat(dispatcher.submit("a", () -> ran.add("three calls"), 3, true)).isTrue();

        assertThat(dispatcher.hasRoom("a")).as("five calls waiting").isFalse();
        assertThat(dispatcher.submit("a", () -> ran.add("refused"), false)).isFalse();
        executor.runAll();

        assertThat(ran).containsExactly("two calls", "three calls");
        assertThat(dispatcher.hasRoom("a")).isTrue();
    }

    @Test
    void aBusySenderOfManyCallsATaskHandsItsThreadBackAfterItsShareOfCalls() {
        OrderedDispatcher dispatcher = new OrderedDispatcher(executor, 10_000, failures);
        for (int i = 0; i < 20; i++) {
            dispatcher.submit("busy", () -> ran.add("busy"), 32, false);
        }
        dispatcher.submit("other", () -> ran.add("other"), false);

        executor.runAll();

        assertThat(ran).hasSize(21);
        assertThat(ran.indexOf("other")).as("after two tasks of 32 calls, not after all twenty").isLessThan(5);
    }

    @Test
    void eachSendersTasksRunOneAtATimeInOrderWhileSendersShareThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            OrderedDispatcher dispatcher = new OrderedDispatcher(pool, 10_000, failures);
            Map<Integer, List<Integer>> seen = new ConcurrentHashMap<>();
            Map<Integer, AtomicInteger> running = new ConcurrentHashMap<>();
            AtomicBoolean overlapped = new AtomicBoolean();
            for (int i = 0; i < 500; i++) {
                for (int sender = 0; sender < 8; sender++) {
                    int key = sender;
                    int index = i;
                    dispatcher.submit(key, () -> {
                        AtomicInteger busy = running.computeIfAbsent(key, k -> new AtomicInteger());
                        if (busy.incrementAndGet() != 1) {
                            overlapped.set(true);
                        }
                        seen.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(index);
                        busy.decrementAndGet();
                    }, false);
                }
            }

            assertThat(dispatcher.awaitIdle(System.nanoTime() + TimeUnit.SECONDS.toNanos(30))).isTrue();

            assertThat(overlapped).isFalse();
            assertThat(seen).hasSize(8);
            List<Integer> inOrder = Stream.iterate(0, i -> i + 1).limit(500).toList();
            seen.values().forEach(indices -> assertThat(indices).isEqualTo(inOrder));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void awaitIdleWaitsForTheLastTaskAndWakesWhenItEnds() throws Exception {
        OrderedDispatcher dispatcher = new OrderedDispatcher(executor, 10, failures);
        assertThat(dispatcher.awaitIdle(System.nanoTime())).as("idle already").isTrue();
        dispatcher.submit("a", () -> ran.add("last"), false);
        assertThat(dispatcher.awaitIdle(System.nanoTime())).as("past its deadline, with a task queued").isFalse();

        CompletableFuture<Boolean> idle = new CompletableFuture<>();
        Thread waiter = Parked.start("awaiting idle", () -> {
            try {
                idle.complete(dispatcher.awaitIdle(System.nanoTime() + TimeUnit.SECONDS.toNanos(30)));
            } catch (InterruptedException e) {
                idle.completeExceptionally(e);
            }
        });
        awaitParked(waiter);
        assertThat(idle).isNotDone();

        executor.runAll();

        assertThat(idle.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).containsExactly("last");
    }

    /** Lets a Runnable throw the unchecked {@code failure}, whichever kind it is. */
    private static RuntimeException unchecked(Throwable failure) {
        if (failure instanceof Error error) {
            throw error;
        }
        return (RuntimeException) failure;
    }
}
