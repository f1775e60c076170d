package dev.mbus.benchmarks.flood;

import dev.mbus.core.engine.EntityStats;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Flood 3: 200,000 distinct sources send one small unreliable message each to an entity that
 * receives everything on the bus ({@code receiveAll}, as {@code bin/mbus listen --all}), with a
 * handler for every command. The data variant addresses another entity, so that only
 * receiveAll lets the messages in; the hello variant says {@code mbus.hello} to everyone.
 * Whatever the receiver keeps per source stays in its heap.
 */
final class ManySourcesFlood implements Flood {

    static final int SOURCES = 200_000;
    private static final long MAX_FLOOD_NANOS = TimeUnit.SECONDS.toNanos(20);
    private static final Address ELSEWHERE = Address.of("app:flood-elsewhere");

    private final boolean hello;

    ManySourcesFlood(boolean hello) {
        this.hello = hello;
    }

    @Override
    public String name() {
        return hello ? "many-hello-sources-200k" : "many-sources-200k";
    }

    @Override
    public void run(FloodReport report) throws Exception {
        try (FloodedReceiver receiver = new FloodedReceiver("*", true, 0)) {
            double seconds = send(receiver.sender(), receiver.endpoint(), hello);
            long sent = receiver.sender().sent();
            report.put("seconds", seconds).put("sent", sent);
            EntityStats stats = receiver.measure(report).stats();
            report.summary(stats.received() + " of " + sent + " messages from distinct sources accepted, "
                    + stats.overloaded() + " refused as overloaded, " + stats.peers() + " peers kept");
        }
    }

    /**
     * One message from each of {@link #SOURCES} sources, as fast as the sender goes, for at most
     * 20 seconds; returns the seconds it took.
     */
    static double send(CraftedSender sender, InetSocketAddress target, boolean hello) throws IOException {
        long start = System.nanoTime();
        for (int i = 0; i < SOURCES && System.nanoTime() - start < MAX_FLOOD_NANOS; i++) {
            Address source = Address.of("app:flood-source", "n:" + i);
            if (hello) {
                sender.send(target, 1, false, source, Address.BROADCAST, Command.of("mbus.hello"));
            } else {
                sender.send(target, 1, false, source, ELSEWHERE, Command.of("flood.data", i));
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
