package dev.mbus.benchmarks.compare;

import java.time.Duration;

/**
 * How long each trial runs: by default a warm-up for a duration, then a measured run for a
 * duration (throughput) or for the messages a duration takes at the latency rate; in the quick
 * mode, a few messages. Each warm-up goes the way its measured run goes: as fast as the sender
 * can for throughput, at the latency rate for latency, and then for at least {@link
 * #LATENCY_WARMUP}, since at 10,000 a second a few seconds are too few calls for the JIT. A
 * latency run after a warm-up at full speed measures code compiled for a flood: this engine's
 * ack p50 was 0.68-1.0 ms that way against 0.08-0.10 ms after a paced warm-up, in alternating
 * runs.
 *
 * <p>The default warm-up is 10 s: after 3 s, the C2 compiler threads still took about half a
 * core of the two in the measured window, and in alternating runs this engine's batched
 * figures were unreliable 594k-728k msg/s losing 1.3-12 %, reliable 469k-491k, against
 * 742k-829k losing 0.3-0.4 % and 701k-803k after 10 s.
 */
record Lengths(Duration measured, Duration warmup, long quickMessages, double latencyRate) {

    /** The shortest warm-up of the latency mode. */
    static final Duration LATENCY_WARMUP = Duration.ofSeconds(10);

    static final Lengths DEFAULT = new Lengths(Duration.ofSeconds(5), Duration.ofSeconds(10), 0, 10_000);
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
