package dev.mbus.core.testsupport;

import static org.awaitility.Awaitility.await;

import java.time.Duration;

/** Waits, within a bound, until a thread is parked: blocked on a lock or condition, not running. */
public final class Parked {

    private Parked() {
    }

    public static void awaitParked(Thread thread) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Thread.State state = thread.getState();
            return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
        });
    }

    /** Starts {@code body} on a daemon thread of its own. */
    public static Thread start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
