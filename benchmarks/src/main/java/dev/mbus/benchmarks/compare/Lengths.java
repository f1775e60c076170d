package dev.mbus.benchmarks.compare;

import java.time.Duration;

/**
 * How long each trial runs: by default a warm-up for a duration, as fast as the sender can, then
 * a measured run for a duration (throughput) or for the messages a duration takes at the latency
 * rate; in the quick mode, a few messages. The latency mode warms up at full speed too: at
 * 10,000 a second, a 3 s warm-up makes too few calls for the JIT to finish, and round trips
 * measured then are the interpreter's and the compiler threads'.
 */
record Lengths(Duration measured, Duration warmup, long quickMessages, double latencyRate) {

    static final Lengths DEFAULT = new Lengths(Duration.ofSeconds(5), Duration.ofSeconds(3), 0, 10_000);
    /** Enough to go through every step of every system, far too few to say anything of speed. */
    static final Lengths QUICK = new Lengths(Duration.ZERO, Duration.ZERO, 2_000, 10_000);

    Plan warmupPlan(Mode mode) {
        if (quickMessages == 0) {
            return new Plan(0, warmup, 0);
        }
        return plan(mode, warmup, quickMessages / 4);
    }

    Plan measuredPlan(Mode mode) {
        return plan(mode, measured, quickMessages);
    }

    private Plan plan(Mode mode, Duration duration, long quick) {
        double rate = mode == Mode.LATENCY ? latencyRate : 0;
        if (quickMessages > 0) {
            return new Plan(Math.max(1, quick), Duration.ZERO, rate);
        }
        if (mode == Mode.LATENCY) {
            return new Plan(Math.max(1, Math.round(latencyRate * duration.toMillis() / 1000.0)), Duration.ZERO, rate);
        }
        return new Plan(0, duration, 0);
    }

    /** Longest a sender may take for a plan of this length, answers included, before the trial fails. */
    Duration runLimit() {
        return (quickMessages > 0 ? Duration.ofSeconds(60) : measured.multipliedBy(3)).plusSeconds(90);
    }
}
