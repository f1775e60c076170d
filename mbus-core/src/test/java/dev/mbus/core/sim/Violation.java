package dev.mbus.core.sim;

/** One broken promise found in a simulation run. */
record Violation(Invariant invariant, String detail) {

    /** The promises of reliable delivery that a run is checked against. */
    enum Invariant {
        ONLY_WHAT_WAS_SENT("0. a receiver handles only what was sent to it"),
        EXACTLY_ONCE_WHEN_ACKNOWLEDGED("1. an acknowledged reliable send is handled exactly once by the receiver that acknowledged it"),
        NEVER_TWICE("2. no receiver handles the same payload twice"),
        SENDER_ORDER("3. a receiver handles one sender's reliable messages in send order"),
        NO_STALE_DELIVERY("4. nothing from an older sender life after a newer one, nothing older than the freshness window"),
        KEEPS_WORKING("5. nothing escapes the engine: it keeps working after throwing handlers and executors"),
        BOUNDED_STATE("6. after a quiet period nothing is held: no reliable send in flight, no handler work queued");

        final String promise;

        Invariant(String promise) {
            this.promise = promise;
        }
    }
}
