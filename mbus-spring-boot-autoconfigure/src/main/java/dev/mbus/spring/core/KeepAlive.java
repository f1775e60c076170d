package dev.mbus.spring.core;

import java.util.concurrent.CountDownLatch;

/**
 * A non-daemon thread that does nothing but wait to be released. The engine's own threads are
 * daemons (a library must not hold a JVM up by accident), so an application without a web
 * server would end as soon as its main method returned; the engine holds one of these while it
 * runs, as a listener container's consumer thread does.
 */
final class KeepAlive {

    private final CountDownLatch released = new CountDownLatch(1);

    private KeepAlive() {
    }

    /** Starts a thread named {@code name} that lives until {@link #release()}. */
    static KeepAlive start(String name) {
        KeepAlive keepAlive = new KeepAlive();
        Thread thread = new Thread(keepAlive::awaitRelease, name);
        thread.setDaemon(false);
        thread.start();
        return keepAlive;
    }

    /** Lets the thread end. */
    void release() {
        released.countDown();
    }

    private void awaitRelease() {
        try {
            released.await();
        } catch (InterruptedException e) {
            // Whoever interrupts this thread wants it gone: end.
            Thread.currentThread().interrupt();
        }
    }
}
