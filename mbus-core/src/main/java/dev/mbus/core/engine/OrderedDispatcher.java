package dev.mbus.core.engine;

import dev.mbus.core.idle.AdaptiveIdleWait;
import dev.mbus.core.idle.IdleWait;
import dev.mbus.core.idle.SpinThenYield;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Runs tasks on a shared executor, one at a time and in submission order per key (a sender),
 * so that a slow handler delays only its own sender's commands. Each key's queue is bounded in
 * calls: a task may stand for several (all the handler calls of one message), so that a message
 * costs one hand-over however many commands it carries, and the bound still counts each of them.
 *
 * <p>A key's queue is handed to the executor when work arrives for it and keeps its thread
 * while work keeps coming: each turn takes everything queued at once, and when that is done the
 * run waits a few microseconds for more ({@link IdleWait}) before it gives the thread back. So
 * while traffic flows, the thread that submits (the receive thread) wakes no other thread; only
 * the first task of a burst pays for a hand-over and a wake-up. By default that wait is made only
 * while such waits find more ({@link AdaptiveIdleWait}), so a slower flow costs no spinning.
 *
 * <p>A task that throws anything, an {@link Error} included, is reported to {@link
 * ExecutorFailures#taskFailed} and its queue goes on with the next task.
 *
 * <p>When the executor refuses a key's queue:
 * <ul>
 * <li>on {@link #submit}, whose caller may be the receive thread, nothing runs on the caller's
 *     thread: the tasks stay queued, the queue is left unscheduled so that the key's next submit
 *     asks the executor again, and the refusal goes to {@link ExecutorFailures#executorRefused};
 * <li>when a run hands its thread back after its fair share, the run goes on where it is, since
 *     that thread is already one of the executor's; the refusal is reported too.
 * </ul>
 * An executor that accepts a task and then drops it (e.g. {@code shutdownNow}) leaves its queue
 * stuck; that only happens once the entity is closing.
 */
final class OrderedDispatcher {

    /** Calls run for one key before the thread is handed back, so keys share threads fairly. */
    private static final int BATCH = 64;

    private final Executor executor;
    private final int maxQueuedPerKey;
    private final ExecutorFailures failures;
    private final IdleWait idleWait;
    private final Map<Object, KeyQueue> queues = new ConcurrentHashMap<>();
    /** Tasks queued or running. */
    private final AtomicInteger pending = new AtomicInteger();
    /** Taken only to wait for, or to announce, {@link #pending} reaching 0. */
    private final ReentrantLock idleLock = new ReentrantLock();
    private final Condition idle = idleLock.newCondition();

    OrderedDispatcher(Executor executor, int maxQueuedPerKey, ExecutorFailures failures) {
        this(executor, maxQueuedPerKey, failures, new AdaptiveIdleWait(new SpinThenYield()));
    }

    OrderedDispatcher(Executor executor, int maxQueuedPerKey, ExecutorFailures failures, IdleWait idleWait) {
        this.executor = executor;
        this.maxQueuedPerKey = maxQueuedPerKey;
        this.failures = failures;
        this.idleWait = idleWait;
    }

    /** A task and how many calls it stands for. */
    private record Queued(Runnable task, int calls) {
    }

    private final class KeyQueue implements Runnable {
        final Object key;
        /** Tasks submitted and not yet taken by the run; guarded by this. */
        ArrayDeque<Queued> submitted = new ArrayDeque<>();
        /** Tasks the run took in one go and has not started yet; only the run touches it. */
        ArrayDeque<Queued> taken = new ArrayDeque<>();
        /** Calls submitted and not yet started, in both deques: the bound, read without the lock. */
        final AtomicInteger waiting = new AtomicInteger();
        final BooleanSupplier hasWaiting = () -> waiting.get() > 0;
        /** Handed to the executor or running: whoever adds a task need not hand it over again; guarded by this. */
        boolean scheduled;
        /** Out of {@link #queues}: a submit must make a new queue; guarded by this. */
        boolean retired;
        /** The thread whose submit last handed this queue to the executor; written under this before the hand-over. */
        Thread submitter;

        KeyQueue(Object key) {
            this.key = key;
        }

        @Override
        public void run() {
            while (runTurn()) {
                try {
                    executor.execute(this);
                    return;
                } catch (Throwable refused) {
                    failures.executorRefused(refused);
                }
            }
        }

        /** Runs tasks of up to {@link #BATCH} calls in all; returns whether tasks are left, false once the queue retired. */
        private boolean runTurn() {
            for (int calls = 0; calls < BATCH; ) {
                Queued queued = taken.poll();
                if (queued == null) {
                    if (!takeMore()) {
                        return false;
                    }
                    queued = taken.poll();
                }
                waiting.addAndGet(-queued.calls);
                calls += queued.calls;
                try {
                    queued.task.run();
                } catch (Throwable failure) {
                    failures.taskFailed(failure);
                } finally {
                    taskDone();
                }
            }
            return true;
        }

        /**
         * Takes every task submitted so far, waiting a little for some if there is none; when
         * none comes, retires the queue and returns false.
         */
        private boolean takeMore() {
            if (waiting.get() == 0) {
                idleWait.awaitMore(submitter, hasWaiting);
            }
            synchronized (this) {
                if (submitted.isEmpty()) {
                    scheduled = false;
                    retired = true;
                    queues.remove(key, this);
                    return false;
                }
                ArrayDeque<Queued> burst = submitted;
                submitted = taken;
                taken = burst;
                return true;
            }
        }
    }

    /** Queues {@code task}, one call, behind the earlier tasks of {@code key}; see {@link #submit(Object, Runnable, int, boolean)}. */
    boolean submit(Object key, Runnable task, boolean admitted) {
        return submit(key, task, 1, admitted);
    }

    /**
     * Queues {@code task}, which makes {@code calls} calls, behind the earlier tasks of {@code key}.
     *
     * @param admitted whether the task belongs to something already accepted (a message that
     *                 {@link #hasRoom} let in): it is queued even beyond the bound, which it can
     *                 pass by at most one message's calls
     * @return false when that key already has as many calls waiting as allowed; true when the
     *         task is queued, even if the executor refused to run it for now
     */
    boolean submit(Object key, Runnable task, int calls, boolean admitted) {
        while (true) {
            KeyQueue queue = queues.computeIfAbsent(key, KeyQueue::new);
            boolean start;
            synchronized (queue) {
                if (queue.retired) {
                    continue;
                }
                if (!admitted && queue.waiting.get() >= maxQueuedPerKey) {
                    return false;
                }
                queue.submitted.add(new Queued(task, calls));
                queue.waiting.addAndGet(calls);
                pending.incrementAndGet();
                start = !queue.scheduled;
                queue.scheduled = true;
                if (start) {
                    queue.submitter = Thread.currentThread();
                }
            }
            if (start) {
                try {
                    executor.execute(queue);
                } catch (Throwable refused) {
                    synchronized (queue) {
                        queue.scheduled = false;
                    }
                    failures.executorRefused(refused);
                }
            }
            return true;
        }
    }

    /** Whether {@code key} can take another call now. */
    boolean hasRoom(Object key) {
        KeyQueue queue = queues.get(key);
        return queue == null || queue.waiting.get() < maxQueuedPerKey;
    }

    /** Tasks queued or running. */
    int pending() {
        return pending.get();
    }

    /**
     * Waits until no task is queued or running, or until {@code deadlineNanos} on the {@link
     * System#nanoTime()} scale; woken by the last task's end, never by polling.
     *
     * @return whether the dispatcher became idle in time
     */
    boolean awaitIdle(long deadlineNanos) throws InterruptedException {
        idleLock.lock();
        try {
            while (pending.get() > 0) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idle.awaitNanos(left);
            }
            return true;
        } finally {
            idleLock.unlock();
        }
    }

    private void taskDone() {
        if (pending.decrementAndGet() == 0) {
            // Under the lock, so that a waiter between its check and its await cannot miss it.
            idleLock.lock();
            try {
                idle.signalAll();
            } finally {
                idleLock.unlock();
            }
        }
    }
}
