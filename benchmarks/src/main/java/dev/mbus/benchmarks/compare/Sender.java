package dev.mbus.benchmarks.compare;

import java.util.List;

/** The sending side of one system in a trial, in a JVM of its own. */
public interface Sender extends AutoCloseable {

    /**
     * Reaches the receiver that started with {@code receiver} (its words), and returns once
     * messages can flow; answers go to {@code latency}.
     */
    void connect(List<String> receiver, Latency latency) throws Exception;

    /** Sends message {@code index} (from 0), blocking while the system pushes back. */
    void send(long index) throws Exception;

    /** Whether every message gets an answer on the latency record (so a run waits for them all). */
    boolean answersEach();

    @Override
    void close() throws Exception;
}
