package dev.mbus.benchmarks.flood;

import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Flood 1: 50 senders send 30 KB reliable messages to a receiver whose handler takes 10 ms a
 * call, for 10 seconds, each with new sequence numbers (no retransmissions). Whatever the
 * receiver queues for its handlers stays in its heap. The senders take turns at a fixed 1,000
 * messages a second in all (30 MB/s, which a loaded machine still manages), so that runs on
 * different code offer the same load; the figures say how many were really sent.
 */
final class SlowHandlerFlood implements Flood {

    private static final int SENDERS = 50;
    private static final int PAYLOAD_CHARS = 30_000;
    private static final long FLOOD_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** One message from every sender each round: 20 rounds a second. */
    private static final long ROUND_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long HANDLER_MILLIS = 10;

    @Override
    public String name() {
        return "slow-handler-30k";
    }

    @Override
    public void run(FloodReport report) throws Exception {
        try (FloodedReceiver receiver = new FloodedReceiver("flood.data", false, HANDLER_MILLIS)) {
            Command data = Command.of("flood.data", "x".repeat(PAYLOAD_CHARS));
            Address[] sources = new Address[SENDERS];
            for (int i = 0; i < SENDERS; i++) {
                sources[i] = Address.of("app:flood-sender", "n:" + i);
            }
            long sequence = 0;
            long start = System.nanoTime();
            while (System.nanoTime() - start < FLOOD_NANOS) {
                LockSupport.parkNanos(start + sequence * ROUND_NANOS - System.nanoTime());
                sequence++;
                for (Address source : sources) {
                    receiver.send(sequence, true, source, receiver.address(), data);
                }
            }
            long sent = receiver.sender().sent();
            report.put("seconds", (System.nanoTime() - start) / 1e9).put("sent", sent);
            FloodedReceiver.AfterFlood after = receiver.measure(report);
            report.summary(after.stats().received() + " of " + sent + " messages of 30 KB accepted, "
                    + after.stats().overloaded() + " refused as overloaded, " + after.handlerCalls()
                    + " handled when the flood ended");
        }
    }
}
