package dev.mbus.benchmarks.compare;

import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * Round-trip times of the messages a sender had answered (echoed, or acknowledged), recorded
 * from whichever thread hears the answer; and how many got a failure instead.
 */
public final class Latency {

    private static final long MAX_NANOS = 60_000_000_000L;

    private final ConcurrentHistogram histogram = new ConcurrentHistogram(MAX_NANOS, 3);
    private final AtomicLong failed = new AtomicLong();

    /** The answer to a message sent at {@code sentNanos} ({@link System#nanoTime()}) came now. */
    public void answered(long sentNanos) {
        histogram.recordValue(Math.min(MAX_NANOS, Math.max(0, System.nanoTime() - sentNanos)));
    }

    /** A message will get no answer (the engine failed its future). */
    public void failed() {
        failed.incrementAndGet();
    }

    /** Answers and failures heard so far. */
    long settled() {
        return histogram.getTotalCount() + failed.get();
    }

    long failures() {
        return failed.get();
    }

    long percentileNanos(double percentile) {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile);
    }

    void reset() {
        histogram.reset();
        failed.set(0);
    }
}
