package dev.mbus.core.engine;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An entity's timer thread. It runs the entity's timed duties, then sleeps until they say
 * something is next due: a tick later while work is in flight (reliable messages, owed
 * acknowledgements, held messages, waiters), much later when the entity is idle (its next hello,
 * the next peer that could fall silent). An idle entity so costs a few wake-ups a second, not one
 * per tick.
 *
 * <p>Whoever may have made timed work says so: {@link #wakeBy} with a time of its own (the
 * batching linger), {@link #nudge} otherwise (a datagram received, a reliable send). A nudge
 * costs one volatile read unless the thread sleeps past a tick; then it asks the duties when
 * they are due now and wakes the thread only if that is sooner.
 */
final class TimerThread {

    /** The duties the thread runs. */
    interface Duties {
        /** Does what is due at {@code nowNanos}; returns when to run again, on the same scale. */
        long run(long nowNanos);

        /** When the duties are next due as things stand at {@code nowNanos}, without running them. */
        long nextDue(long nowNanos);
    }

    private final Duties duties;
    private final MbusClock clock;
    private final long tickNanos;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition woken = lock.newCondition();
    /** When the sleeping thread wakes; guarded by {@link #lock}, readable without it. */
    private volatile long wakeAt;
    /** Whether the thread waits for {@link #wakeAt}; guarded by {@link #lock}. */
    private boolean sleeping;
    /** A wake asked for while the thread was not sleeping, and the earliest such time; guarded. */
    private boolean asked;
    private long askedAt;
    /** Set while the thread sleeps longer than a tick: only then can a nudge matter. */
    private volatile boolean sleepingLong;
    private volatile boolean stopped;

    TimerThread(String name, MbusClock clock, long tickNanos, Duties duties) {
        this.duties = duties;
        this.clock = clock;
        this.tickNanos = tickNanos;
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Makes the duties run by {@code nanos} (on the clock's scale) at the latest. */
    void wakeBy(long nanos) {
        lock.lock();
        try {
            if (sleeping) {
                if (nanos - wakeAt < 0) {
                    wakeAt = nanos;
                    woken.signal();
                }
            } else if (!asked || nanos - askedAt < 0) {
                // The duties run now and may not treat that time as due yet: kept for the next sleep.
                asked = true;
                askedAt = nanos;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Says that timed work may have begun: wakes a thread in a long sleep if the duties are due sooner now. */
    void nudge() {
        if (sleepingLong) {
            long due = duties.nextDue(clock.nanoTime());
            if (due - wakeAt < 0) {
                wakeBy(due);
            }
        }
    }

    /** Stops the thread and waits for it to end, unless called on it. */
    void stop() {
        stopped = true;
        lock.lock();
        try {
            woken.signal();
        } finally {
            lock.unlock();
        }
        if (Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop() {
        while (!stopped) {
            long next = duties.run(clock.nanoTime());
            lock.lock();
            try {
                wakeAt = asked && askedAt - next < 0 ? askedAt : next;
                asked = false;
                sleep();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Under {@link #lock}: waits until {@link #wakeAt}, which a wake asked for may bring closer. */
    private void sleep() {
        long now = clock.nanoTime();
        if (wakeAt - now > tickNanos) {
            sleepingLong = true;
            // A nudge that read the flag before it was set may have been missed: look again.
            long due = duties.nextDue(now);
            if (due - wakeAt < 0) {
                wakeAt = due;
            }
        }
        sleeping = true;
        try {
            long left;
            while (!stopped && (left = wakeAt - clock.nanoTime()) > 0) {
                woken.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            stopped = true;
        } finally {
            sleeping = false;
            sleepingLong = false;
        }
    }
}
