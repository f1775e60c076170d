package dev.mbus.core.engine;

/**
 * Marks the threads while they run an entity's receive or timer duties, of any entity in this
 * JVM: code there must never wait for another entity's progress, since that progress may need
 * this very thread (with an inline handler executor, or on a manual clock, all entities share one).
 */
final class EngineThread {

    private static final ThreadLocal<boolean[]> ACTIVE = ThreadLocal.withInitial(() -> new boolean[1]);

    private EngineThread() {
    }

    /** Whether the current thread is running an engine duty now. */
    static boolean isCurrent() {
        return ACTIVE.get()[0];
    }

    /**
     * Marks the current thread; returns whether it was marked already, to hand to {@link #exit}.
     * Use as {@code boolean outer = EngineThread.enter(); try { ... } finally { EngineThread.exit(outer); }}.
     */
    static boolean enter() {
        boolean[] active = ACTIVE.get();
        boolean outer = active[0];
        active[0] = true;
        return outer;
    }

    static void exit(boolean outer) {
        ACTIVE.get()[0] = outer;
    }
}
