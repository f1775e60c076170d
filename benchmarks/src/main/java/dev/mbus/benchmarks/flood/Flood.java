package dev.mbus.benchmarks.flood;

/** One hostile flood against a receiving entity of its own, on a private loopback bus. */
interface Flood {

    String name();

    /**
     * Floods, then puts the figures into the report: at least {@code heapMbAfterGc}, measured
     * while the receiver still holds whatever the flood left in it, and a summary.
     */
    void run(FloodReport report) throws Exception;

    /**
     * Whether the receiver runs in this JVM, so that this JVM's heap (peak, after closing) says
     * something about it; otherwise the flood measures the receiver's heap itself.
     */
    default boolean inProcess() {
        return true;
    }
}
