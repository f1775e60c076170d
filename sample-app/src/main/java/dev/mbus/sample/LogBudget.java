package dev.mbus.sample;

import java.util.function.LongSupplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * How many log lines about what others send (commands received, rejected, peers) the
 * application writes: {@code sample.log.lines-per-second} on average, twice that in a burst.
 * Under a flood the rest are dropped, and the next line written says how many were.
 */
@Component
public class LogBudget {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final LongSupplier nanoClock;
    private final double linesPerNano;
    private final double burst;
    private double available;
    private long lastRefill;
    private long dropped;

    @Autowired
    public LogBudget(SampleProperties properties) {
        this(properties.log().linesPerSecond(), System::nanoTime);
    }

    LogBudget(int linesPerSecond, LongSupplier nanoClock) {
        if (linesPerSecond < 1) {
            throw new IllegalArgumentException("sample.log.lines-per-second must be at least 1, not " + linesPerSecond);
        }
        this.nanoClock = nanoClock;
        this.linesPerNano = (double) linesPerSecond / NANOS_PER_SECOND;
        this.burst = 2.0 * linesPerSecond;
        this.available = burst;
        this.lastRefill = nanoClock.getAsLong();
    }

    /**
     * Whether a line may be written now: null when it must be dropped, else the text to end it
     * with, empty or saying how many lines were dropped before it.
     */
    public synchronized String admit() {
        long now = nanoClock.getAsLong();
        available = Math.min(burst, available + (now - lastRefill) * linesPerNano);
        lastRefill = now;
        if (available < 1) {
            dropped++;
            return null;
        }
        available--;
        if (dropped == 0) {
            return "";
        }
        String note = " (" + dropped + " similar line" + (dropped == 1 ? "" : "s") + " dropped before this one)";
        dropped = 0;
        return note;
    }
}
