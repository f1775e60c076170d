package dev.mbus.benchmarks.flood;

import dev.mbus.core.engine.EntityStats;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import java.util.concurrent.TimeUnit;

/**
 * Flood 2: one sender sends 1 KB reliable messages numbered 2, 3, 4, ... as fast as it can and
 * never number 1, so that a receiver which orders reliable messages may hold every one of them
 * behind that gap. The handler is fast. Variants: {@code announced}, the sender first says
 * {@code mbus.hello} unreliably as number 0, so that the receiver surely expects 1 next (a
 * receiver may otherwise take the first number it hears as the start); {@code gapEvery}, it
 * also never sends the multiples of that number, so that a receiver that gives up a gap after
 * a while meets a new one at once.
 */
final class GapFlood implements Flood {

    private static final int PAYLOAD_CHARS = 1_000;
    private static final long FLOOD_NANOS = TimeUnit.SECONDS.toNanos(6);
    /** How long after the flood the held messages have to come out. */
    private static final long SETTLE_MILLIS = 3_000;
    private static final Address SOURCE = Address.of("app:flood-gap");

    private final String name;
    private final boolean announced;
    private final long gapEvery;

    /** @param gapEvery also leave out the multiples of this number; 0: only number 1 */
    GapFlood(String name, boolean announced, int gapEvery) {
        this.name = name;
        this.announced = announced;
        this.gapEvery = gapEvery > 0 ? gapEvery : Long.MAX_VALUE;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void run(FloodReport report) throws Exception {
        try (FloodedReceiver receiver = new FloodedReceiver("flood.data", false, 0)) {
            long hellos = announced ? 1 : 0;
            if (announced) {
                receiver.send(0, false, SOURCE, Address.BROADCAST, Command.of("mbus.hello"));
            }
            Command data = Command.of("flood.data", "y".repeat(PAYLOAD_CHARS));
            long notHandledMax = 0;
            boolean measuredMidFlood = false;
            long sequence = 1;
            long start = System.nanoTime();
            while (System.nanoTime() - start < FLOOD_NANOS) {
                if (++sequence % gapEvery == 0) {
                    continue;
                }
                receiver.send(sequence, true, SOURCE, receiver.address(), data);
                if (receiver.sender().sent() % 4096 == 0) {
                    long notHandled = notHandled(receiver.stats(), receiver.handlerCalls(), hellos);
                    notHandledMax = Math.max(notHandledMax, notHandled);
                }
                if (!measuredMidFlood && System.nanoTime() - start > FLOOD_NANOS / 2) {
                    // Held messages come out soon after the flood stops: measure them while it goes on.
                    measuredMidFlood = true;
                    report.put("notHandledMidFlood", notHandled(receiver.stats(), receiver.handlerCalls(), hellos))
                            .put("heapMbMidFloodAfterGc", HeapProbe.usedMbAfterGc());
                    FloodHeap.retainedMb(report, "heapMbMidFloodAfterGc");
                }
            }
            long sent = receiver.sender().sent();
            report.put("seconds", (System.nanoTime() - start) / 1e9).put("sent", sent);
            FloodedReceiver.AfterFlood after = receiver.measure(report);
            long notHandledAtEnd = notHandled(after.stats(), after.handlerCalls(), hellos);
            report.put("notHandledAtEnd", notHandledAtEnd).put("notHandledMax", notHandledMax);
            Thread.sleep(SETTLE_MILLIS);
            long notHandledAfterSettle = notHandled(receiver.stats(), receiver.handlerCalls(), hellos + 1);
            report.put("notHandledAfterSettle", notHandledAfterSettle);
            if (notHandledAfterSettle > 0) {
                report.problem(notHandledAfterSettle + " accepted messages still not handled "
                        + SETTLE_MILLIS / 1000 + " s after the flood");
            }
            report.summary(after.stats().received() + " of " + sent + " accepted; at the end of the flood "
                    + notHandledAtEnd + " accepted but not handled yet (held behind the gap or queued), at most "
                    + notHandledMax + " during it");
        }
    }

    /**
     * Accepted messages whose command no handler has run yet: held behind the gap or queued.
     * From the public counters: accepted, less those refused, less the {@code others} that
     * carried no {@code flood.data} (the hello, the newcomer's probe).
     */
    private static long notHandled(EntityStats stats, long handlerCalls, long others) {
        return Math.max(0, stats.received() - stats.overloaded() - stats.duplicates() - others - handlerCalls);
    }
}
