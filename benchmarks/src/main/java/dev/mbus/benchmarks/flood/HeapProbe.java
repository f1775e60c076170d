package dev.mbus.benchmarks.flood;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** The used heap, in MB: after forced full collections (what is really retained), or as it is now. */
final class HeapProbe {

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private HeapProbe() {
    }

    /** Collects a few times (finalisable and softly reachable leftovers need more than one), then measures. */
    static double usedMbAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            MEMORY.gc();
            Thread.sleep(50);
        }
        return usedMbNow();
    }

    static double usedMbNow() {
        return mb(MEMORY.getHeapMemoryUsage().getUsed());
    }

    static double maxMb() {
        return mb(MEMORY.getHeapMemoryUsage().getMax());
    }

    static double mb(long bytes) {
        return Math.round(bytes / 104_857.6) / 10.0;
    }
}
