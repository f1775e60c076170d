package dev.mbus.cli;

import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.engine.ProtocolTimers;
import dev.mbus.core.message.Command;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code mbus bench --mode reliable}: {@link MbusEntity#sendReliable}, with each call's time to
 * its acknowledgement (at full speed, waiting for room in the window included).
 */
final class ReliableBench extends EntityBench {

    private long[] sentAt;
    private long[] ackedAt;
    private boolean[] failed;
    private AtomicInteger done;

    ReliableBench(BenchSession session) {
        super(session, "reliable", true);
    }

    @Override
    void prepare(int n) {
        sentAt = new long[n];
        ackedAt = new long[n];
        failed = new boolean[n];
        done = new AtomicInteger();
    }

    @Override
    void send(MbusEntity sender, int index, Command command) {
        sentAt[index] = System.nanoTime();
        sender.sendReliable(session.receiver, command).whenComplete((ok, error) -> {
            ackedAt[index] = System.nanoTime();
            failed[index] = error != null;
            done.incrementAndGet(); // publishes the two writes above
        });
    }

    @Override
    void awaitOutcomes(BenchPacer.Span span) {
        long limit = span.end() + ProtocolTimers.RFC.reliableLifetime().plusSeconds(10).toNanos();
        while (done.get() < sentAt.length && System.nanoTime() - limit < 0) {
            BusOptions.sleep(Duration.ofMillis(1));
        }
    }

    @Override
    void finish(ObjectNode result, BenchPacer.Span span) {
        int n = sentAt.length;
        int completed = done.get();
        long[] latencies = new long[n];
        int acked = 0;
        int failures = 0;
        long lastAck = span.end();
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
        long seconds = lastAck - span.start();
        result.put("seconds", BenchStatistics.round(seconds / 1e9, 3));
        long[] sorted = Arrays.copyOf(latencies, acked);
        Arrays.sort(sorted);
        session.verbose("ack latency ms:" + BenchStatistics.histogram(sorted));
        result.put("acked_per_s", BenchStatistics.perSecond(acked, seconds));
        result.put("failed", failures);
        result.put("ack_p50_ms", BenchStatistics.percentileMillis(sorted, 0.50));
        result.put("ack_p99_ms", BenchStatistics.percentileMillis(sorted, 0.99));
        result.put("ack_p999_ms", BenchStatistics.percentileMillis(sorted, 0.999));
    }
}
