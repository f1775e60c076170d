package dev.mbus.benchmarks.compare;

import java.util.List;

/** The receiving side of one system in a trial, in a JVM of its own. */
public interface Receiver extends AutoCloseable {

    /**
     * Starts counting every message that arrives on {@code counter} (in the latency mode also
     * answering each one at once), and returns what a sender needs to reach it, as words.
     */
    List<String> start(Counter counter) throws Exception;

    @Override
    void close() throws Exception;
}
