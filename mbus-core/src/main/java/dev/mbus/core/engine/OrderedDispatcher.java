package dev.mbus.core.engine;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs tasks on a shared executor, one at a time and in submission order per key (a sender),
 * so that a slow handler delays only its own sender's commands. Each key's queue is bounded.
 */
final class OrderedDispatcher {

    /** Tasks run for one key before the thread is handed back, so keys share threads fairly. */
    private static final int BATCH = 64;

    private final Executor executor;
    private final int maxQueuedPerKey;
    private final Map<Object, KeyQueue> queues = new ConcurrentHashMap<>();
    private final AtomicInteger pending = new AtomicInteger();

    OrderedDispatcher(Executor executor, int maxQueuedPerKey) {
        this.executor = executor;
        this.maxQueuedPerKey = maxQueuedPerKey;
    }

    private final class KeyQueue implements Runnable {
        final Object key;
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        boolean scheduled;
        boolean retired;

        KeyQueue(Object key) {
            this.key = key;
        }

        @Override
        public void run() {
            for (int i = 0; i < BATCH; i++) {
                Runnable task;
                synchronized (this) {
                    task = tasks.poll();
                    if (task == null) {
                        scheduled = false;
                        retired = true;
                        queues.remove(key, this);
                        return;
                    }
                }
                try {
                    task.run();
                } finally {
                    pending.decrementAndGet();
                }
            }
            executor.execute(this);
        }
    }

    /**
     * Queues {@code task} behind the earlier tasks of {@code key}.
     *
     * @param admitted whether the task belongs to something already accepted (a reliable message
     *                 that {@link #hasRoom} let in and that is acknowledged): it is queued even
     *                 beyond the bound, which it can pass by at most one message's commands
     * @return false when that key already has as many tasks waiting as allowed
     */
    boolean submit(Object key, Runnable task, boolean admitted) {
        while (true) {
            KeyQueue queue = queues.computeIfAbsent(key, KeyQueue::new);
            boolean start;
            synchronized (queue) {
                if (queue.retired) {
                    continue;
                }
                if (!admitted && queue.tasks.size() >= maxQueuedPerKey) {
                    return false;
                }
                queue.tasks.add(task);
                pending.incrementAndGet();
                start = !queue.scheduled;
                queue.scheduled = true;
            }
            if (start) {
                executor.execute(queue);
            }
            return true;
        }
    }

    /** Whether {@code key} can take another task now. */
    boolean hasRoom(Object key) {
        KeyQueue queue = queues.get(key);
        if (queue == null) {
            return true;
        }
        synchronized (queue) {
            return queue.tasks.size() < maxQueuedPerKey;
        }
    }

    /** Tasks queued or running. */
    int pending() {
        return pending.get();
    }
}
