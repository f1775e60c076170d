package dev.mbus.benchmarks.compare;

/** What a trial measures. */
public enum Mode {
    /** As fast as the sender can, nothing confirmed, nothing retransmitted: throughput and loss. */
    UNRELIABLE,
    /** As fast as the sender can, with the system's own reliable delivery: throughput. */
    RELIABLE,
    /** A fixed rate, each message answered (an echo, or the engine's acknowledgement): round-trip times. */
    LATENCY;

    /** The mode's name in the JSON lines and on the command line. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
