package dev.mbus.core.engine;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Logs what user code threw: the first failure of each handler or listener with its stack
 * trace, later ones of the same in one line at DEBUG, so that a handler failing on every message
 * of a flood cannot flood the log. Failures are counted elsewhere.
 */
final class FirstFailureLog {

    private final System.Logger log;
    private final String what;
    private final Map<Object, Boolean> seen = Collections.synchronizedMap(new WeakHashMap<>());

    FirstFailureLog(System.Logger log, String what) {
        this.log = log;
        this.what = what;
    }

    void failed(Object culprit, String context, Throwable error) {
        if (seen.put(culprit, Boolean.TRUE) == null) {
            log.log(System.Logger.Level.WARNING, what + " failed " + context + " (later failures of it are logged at DEBUG): "
                    + error, error);
        } else {
            log.log(System.Logger.Level.DEBUG, () -> what + " failed " + context + ": " + error);
        }
    }
}
