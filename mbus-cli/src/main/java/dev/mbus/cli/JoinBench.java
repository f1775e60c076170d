package dev.mbus.cli;

import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.engine.ProtocolTimers;
import dev.mbus.core.message.Address;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code mbus bench --mode join}: how soon a new entity is in the receiver's peer table, and the
 * receiver in the new entity's; one newcomer at a time, the first not counted.
 */
final class JoinBench {

    private static final Duration JOIN_LIMIT = Duration.ofSeconds(5);
    /** Entities greet newcomers at most ten times per c_hello_min: one newcomer at a time. */
    private static final Duration JOIN_SPACING = ProtocolTimers.RFC.helloMin().dividedBy(10).plusMillis(50);

    private final BenchSession session;

    JoinBench(BenchSession session) {
        this.session = session;
    }

    ObjectNode run() throws Exception {
        int joins = session.options.joins();
        long[] joinNanos = new long[joins];
        long[] discoverNanos = new long[joins];
        long[] startNanos = new long[joins];
        for (int round = -1; round < joins; round++) { // round -1 warms up and is not counted
            Address address = session.address("joiner", "j" + (round + 1));
            session.child.request("join " + address, "watching", BenchSession.ANSWER);
            long before = System.nanoTime();
            try (MbusEntity joiner = session.startSender(address)) {
                long started = System.nanoTime();
                long[] discovered = new long[1];
                CompletableFuture<Void> known = joiner.awaitPeer(session.receiver, JOIN_LIMIT)
                        .thenRun(() -> discovered[0] = System.nanoTime());
                BenchProcess.Line joined = session.child.expect("joined", JOIN_LIMIT.plusSeconds(1));
                known.get(JOIN_LIMIT.plusSeconds(1).toNanos(), TimeUnit.NANOSECONDS);
                if (round >= 0) {
                    joinNanos[round] = joined.nanos() - before;
                    discoverNanos[round] = discovered[0] - before;
                    startNanos[round] = started - before;
                }
                joiner.close(Duration.ofMillis(50));
            }
            BusOptions.sleep(JOIN_SPACING);
        }
        Arrays.sort(joinNanos);
        Arrays.sort(discoverNanos);
        Arrays.sort(startNanos);
        ObjectNode result = session.report.start("join");
        result.put("joins", joins);
        result.put("join_ms", BenchStatistics.percentileMillis(joinNanos, 0.5));
        result.put("join_max_ms", BenchStatistics.millis(joinNanos[joinNanos.length - 1]));
        result.put("discover_ms", BenchStatistics.percentileMillis(discoverNanos, 0.5));
        result.put("discover_max_ms", BenchStatistics.millis(discoverNanos[discoverNanos.length - 1]));
        result.put("start_ms", BenchStatistics.percentileMillis(startNanos, 0.5));
        return result;
    }
}
