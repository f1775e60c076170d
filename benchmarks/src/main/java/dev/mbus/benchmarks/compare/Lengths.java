package dev.mbus.benchmarks.compare;

import java.time.Duration;

/**
 * How long each trial runs: by default a warm-up for a duration, then a measured run for a
 * duration (throughput) or for the messages a duration takes at the latency rate; in the quick
 * mode, a few messages. Each warm-up goes the way its measured run goes: as fast as the sender
 * can for throughput, at the latency rate for latency, and then for at least {@link
 * #LATENCY_WARMUP}, since at 10,000 a second 3 s are too few calls for the JIT. A latency run
 * after a warm-up at full speed measures code compiled for a flood: this engine's ack p50 was
 * 0.68-1.0 ms that way against 0.08-0.10 ms after a paced warm-up, in alternating runs.
 */
record Lengths(Duration measured, Duration warmup, long quickMessages, double latencyRate) {

    /** The shortest warm-up of the latency mode. */
    static final Duration LATENCY_WARMUP = Duration.ofSeconds(10);

    static final Lengths DEFAULT = new Lengths(Duration.ofSeconds(5), Duration.ofSeconds(3), 0, 10_000);
    /** Enough to go through every step of every system, far too few to say anything of speed. */
    static final Lengths QUICK = new Lengths(Duration.ZERO, Duration.ZERO, 2_000, 10_000);

    Plan warmupPlan(Mode mode) {
        if (mode == Mode.LATENCY && quickMessages == 0 && warmup.compareTo(LATENCY_WARMUP) < 0) {
            return plan(mode, LATENCY_WARMUP, 0);
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
