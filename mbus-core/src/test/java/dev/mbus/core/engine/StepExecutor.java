package dev.mbus.core.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * An executor whose tasks run only when the test says, on the test's thread. Like a pool's
 * worker, it survives a task that throws, keeping what was thrown. It can refuse chosen calls.
 */
final class StepExecutor implements Executor {

    private final ArrayDeque<Runnable> queued = new ArrayDeque<>();
    private final List<Integer> refusedCalls = new ArrayList<>();
    final List<Throwable> escaped = new ArrayList<>();
    int calls;

    /** Makes the {@code n}-th call of {@link #execute} (counting from 1) throw. */
    StepExecutor refusing(int n) {
        refusedCalls.add(n);
        return this;
    }

    @Override
    public synchronized void execute(Runnable task) {
        calls++;
        if (refusedCalls.contains(calls)) {
            throw new RejectedExecutionException("refused call " + calls);
        }
        queued.add(task);
    }

    /** Runs one queued task; returns false when none was queued. */
    boolean runNext() {
        Runnable task;
        synchronized (this) {
            task = queued.poll();
        }
        if (task == null) {
            return false;
        }
        try {
            task.run();
        } catch (Throwable e) {
            escaped.add(e);
        }
        return true;
    }

    /** Runs queued tasks, and the ones they queue, until none is left. */
    void runAll() {
        for (int i = 0; i < 10_000 && runNext(); i++) {
            // bounded, in case a queue kept handing itself back forever
        }
    }

    synchronized int queued() {
        return queued.size();
    }
}
