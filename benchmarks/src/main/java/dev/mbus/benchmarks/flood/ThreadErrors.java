package dev.mbus.benchmarks.flood;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What ended threads during a flood, such as an OutOfMemoryError on an entity's receive thread:
 * each flood reports its own, once each, as the first two words of the thread's name
 * ({@code mbus-receive}, {@code mbus-handler}...) and the error's class.
 */
final class ThreadErrors {

    private static final Set<String> ERRORS = ConcurrentHashMap.newKeySet();

    private ThreadErrors() {
    }

    static void install() {
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> ERRORS.add(
                thread.getName().replaceAll("^([A-Za-z]+-[A-Za-z]+).*$", "$1") + ": "
                        + error.getClass().getSimpleName()));
    }

    /** The errors since the last call. */
    static List<String> drain() {
        List<String> seen = new ArrayList<>(ERRORS);
        ERRORS.removeAll(seen);
        return seen;
    }
}
