package dev.mbus.core.sim;

import dev.mbus.core.engine.ManualClock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * The handler executor of one simulated entity: tasks wait in a queue and run on the
 * simulation's thread when it calls {@link #runDue()}, on one of a few worker slots. A task that
 * {@linkplain #spend spends} virtual time keeps its slot busy until then, so later tasks wait, as
 * behind a slow handler on a real pool. (The task's own later work runs at once: a running task
 * cannot be suspended; only the slot's availability models its length.)
 */
final class SimExecutor implements Executor {

    /** Tasks run in one call before giving up: tasks that queue tasks without end. */
    private static final int MAX_TASKS_PER_RUN = 1_000_000;

    private final ManualClock clock;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private final long[] busyUntilNanos;
    private final Consumer<Throwable> escaped;
    private long spentNanos;
    private boolean rejectNext;
    private boolean abandoned;

    /** @param escaped told of every throwable a task lets escape, as a pool's uncaught-exception handler is */
    SimExecutor(ManualClock clock, int slots, Consumer<Throwable> escaped) {
        this.clock = clock;
        this.escaped = escaped;
        this.busyUntilNanos = new long[slots];
        Arrays.fill(busyUntilNanos, clock.nanoTime());
    }

    @Override
    public void execute(Runnable task) {
        if (rejectNext) {
            rejectNext = false;
            throw new RejectedExecutionException("simulated executor rejects this one task");
        }
        if (!abandoned) {
            queue.add(task);
        }
    }

    /** Called by a running task: it takes {@code time} of virtual time. */
    void spend(Duration time) {
        spentNanos += time.toNanos();
    }

    /** Runs waiting tasks on every slot that is free now. */
    void runDue() {
        long now = clock.nanoTime();
        int run = 0;
        for (int slot = 0; slot < busyUntilNanos.length; slot++) {
            while (!queue.isEmpty() && busyUntilNanos[slot] - now <= 0) {
                if (++run > MAX_TASKS_PER_RUN) {
                    throw new IllegalStateException("handler tasks keep queueing tasks");
                }
                spentNanos = 0;
                runOne(queue.poll());
                if (spentNanos > 0) {
                    busyUntilNanos[slot] = now + spentNanos;
                }
            }
        }
    }

    private void runOne(Runnable task) {
        try {
            task.run();
        } catch (Throwable e) { // what a pool's worker thread would die of
            escaped.accept(e);
        }
    }

    /** Rejects the next task handed to it, as a saturated or shut-down pool does. */
    void rejectNext() {
        rejectNext = true;
    }

    /**
     * The process died: queued tasks are lost and none are taken any more.
     *
     * @return whether work was lost (tasks were queued)
     */
    boolean abandon() {
        boolean lost = !queue.isEmpty();
        queue.clear();
        abandoned = true;
        return lost;
    }

    /** No task queued and no slot busy. */
    boolean isIdle() {
        long now = clock.nanoTime();
        return queue.isEmpty() && Arrays.stream(busyUntilNanos).allMatch(until -> until - now <= 0);
    }

    int queued() {
        return queue.size();
    }
}
