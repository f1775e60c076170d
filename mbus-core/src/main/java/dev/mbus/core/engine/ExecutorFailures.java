package dev.mbus.core.engine;

/**
 * Where work handed to an executor reports what went wrong on a thread nobody waits on, so that
 * the entity can count and log it. Each failure is reported once; implementations must not throw.
 */
interface ExecutorFailures {

    /** A task threw {@code failure}; the work after it goes on. */
    void taskFailed(Throwable failure);

    /** The executor refused work with {@code failure}; the caller says what became of the work. */
    void executorRefused(Throwable failure);
}
