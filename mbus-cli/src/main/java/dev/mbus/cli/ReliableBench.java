package dev.mbus.cli;

import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.engine.ProtocolTimers;
import dev.mbus.core.message.StringValue;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code mbus bench --mode reliable}: {@link MbusEntity#sendReliable}, with each call's time to
 * its acknowledgement (at full speed, waiting for room in the window included).
 */
final class ReliableBench extends EntityBench {

    ReliableBench(BenchSession session) {
        super(session, true);
    }

    @Override
    ObjectNode measure(MbusEntity sender, int n, String pad) throws Exception {
        int datagramSize = session.datagramSize(sender.address(), true, n, pad);
        StringValue padding = new StringValue(pad);
        long[] sentAt = new long[n];
        long[] ackedAt = new long[n];
        boolean[] failed = new boolean[n];
        AtomicInteger done = new AtomicInteger();
        session.go();
        BenchPacer pacer = new BenchPacer(session.options.rate());
        long start = System.nanoTime();
        pacer.start(start);
        for (int i = 0; i < n; i++) {
            pacer.await(i);
            int index = i;
            sentAt[i] = System.nanoTime();
            CompletableFuture<Void> outcome = sender.sendReliable(session.receiver, BenchSession.command(i + 1, padding));
            outcome.whenComplete((ok, error) -> {
                ackedAt[index] = System.nanoTime();
                failed[index] = error != null;
                done.incrementAndGet(); // publishes the two writes above
            });
        }
        long end = System.nanoTime();
        long limit = end + ProtocolTimers.RFC.reliableLifetime().plusSeconds(10).toNanos();
        while (done.get() < n && System.nanoTime() - limit < 0) {
            BusOptions.sleep(Duration.ofMillis(1));
        }
        int completed = done.get();
        BenchSession.Counts counts = session.stop(n);
        session.report("sender", sender.stats());
        long[] latencies = new long[n];
        int acked = 0;
        int failures = 0;
        long lastAck = end;
        for (int i = 0; i < n; i++) {
            if (ackedAt[i] == 0) {
                continue; // not completed in time (counted as failed below)
            }
            if (failed[i]) {
                failures++;
            } else {
                latencies[acked++] = ackedAt[i] - sentAt[i];
                lastAck = Math.max(lastAck, ackedAt[i]);
            }
        }
        failures += n - completed;
        ObjectNode result = session.report.result("reliable", datagramSize, n, end - start, counts.mbus(),
                counts.mbusSpanNanos());
        result.put("seconds", BenchStatistics.round((lastAck - start) / 1e9, 3));
        BenchReport.putCommandsPerDatagram(result, sender.stats());
        long[] sorted = Arrays.copyOf(latencies, acked);
        Arrays.sort(sorted);
        session.verbose("ack latency ms:" + BenchStatistics.histogram(sorted));
        result.put("acked_per_s", BenchStatistics.perSecond(acked, lastAck - start));
        result.put("failed", failures);
        result.put("ack_p50_ms", BenchStatistics.percentileMillis(sorted, 0.50));
        result.put("ack_p99_ms", BenchStatistics.percentileMillis(sorted, 0.99));
        result.put("ack_p999_ms", BenchStatistics.percentileMillis(sorted, 0.999));
        return result;
    }
}
