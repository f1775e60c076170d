package dev.mbus.core.engine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what was reported, so tests can check each failure is reported once. */
final class RecordingFailures implements ExecutorFailures {

    final List<Throwable> taskFailures = new CopyOnWriteArrayList<>();
    final List<Throwable> refusals = new CopyOnWriteArrayList<>();
    final List<Thread> refusalThreads = new CopyOnWriteArrayList<>();

    @Override
    public void taskFailed(Throwable failure) {
        taskFailures.add(failure);
    }

    @Override
    public void executorRefused(Throwable failure) {
        refusals.add(failure);
        refusalThreads.add(Thread.currentThread());
    }
}
