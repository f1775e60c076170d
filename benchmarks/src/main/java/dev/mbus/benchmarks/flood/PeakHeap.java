package dev.mbus.benchmarks.flood;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Samples the used heap every 20 ms on a daemon thread while a flood runs, and keeps the highest figure. */
final class PeakHeap implements AutoCloseable {

    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "flood-peak-heap");
        thread.setDaemon(true);
        return thread;
    });
    private volatile double peakMb;

    PeakHeap() {
        sampler.scheduleAtFixedRate(() -> peakMb = Math.max(peakMb, HeapProbe.usedMbNow()), 0, 20,
                TimeUnit.MILLISECONDS);
    }

    double peakMb() {
        return peakMb;
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
