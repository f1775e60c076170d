package dev.mbus.core.sim;

/** One thing a generated scenario does at a simulated millisecond. */
sealed interface SimAction {

    long atMillis();

    void apply(Simulation sim);

    record SendReliable(long atMillis, String from, String to) implements SimAction {
        @Override
        public void apply(Simulation sim) {
            sim.sendReliable(from, to);
        }
    }

    /** {@code to} is null for a send to every entity. */
    record SendUnreliable(long atMillis, String from, String to) implements SimAction {
        @Override
        public void apply(Simulation sim) {
            sim.sendUnreliable(from, to);
        }
    }

    /** Starts a new life, unless one is running. */
    record Start(long atMillis, String name) implements SimAction {
        @Override
        public void apply(Simulation sim) {
            if (sim.live(name) == null) {
                sim.start(name);
            }
        }

        @Override
        public String toString() {
            return atMillis + " ms start " + name;
        }
    }

    /** A bye, or a crash: the transport goes dead without a word. */
    record Leave(long atMillis, String name, boolean crash) implements SimAction {
        @Override
        public void apply(Simulation sim) {
            if (crash) {
                sim.crash(name);
            } else {
                sim.bye(name);
            }
        }

        @Override
        public String toString() {
            return atMillis + " ms " + (crash ? "crash " : "bye ") + name;
        }
    }
}
