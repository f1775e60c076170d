package dev.mbus.benchmarks.flood;

import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Flood 4: 5,000 fake sources say {@code mbus.hello} to the receiver, then a genuine peer (a
 * second entity on the same bus) starts. Does the receiver learn it, does the genuine peer keep
 * knowing the receiver, and how often does the receiver now say hello? Per protocol §7 it waits
 * max(1 s, 200 ms x n) between hellos, n the entities it knows, and a peer that hears nothing
 * for 5 of its own intervals considers it gone.
 */
final class HelloTableFlood implements Flood {

    private static final int FAKES = 5_000;
    private static final long LEARN_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** How long after the genuine peer starts the receiver's hellos are counted. */
    private static final long WATCH_NANOS = TimeUnit.SECONDS.toNanos(8);

    @Override
    public String name() {
        return "hello-table-full";
    }

    @Override
    public void run(FloodReport report) throws Exception {
        FloodBus bus = new FloodBus();
        try (MbusEntity receiver = bus.start("flood-receiver", false);
                HelloSniffer sniffer = new HelloSniffer(bus, receiver.address());
                CraftedSender sender = new CraftedSender()) {
            InetSocketAddress target = receiver.localEndpoint();
            long start = System.nanoTime();
            for (int i = 0; i < FAKES; i++) {
                sender.send(target, 1, false, Address.of("app:flood-fake", "n:" + i), Address.BROADCAST,
                        Command.of("mbus.hello"));
            }
            awaitQuiet(receiver);
            long fakesDone = System.nanoTime();
            report.put("sent", sender.sent()).put("seconds", (fakesDone - start) / 1e9)
                    .put("peersAfterFakes", receiver.peers().size())
                    .put("helloPerSecondDuringFakes",
                            perSecond(sniffer.heardBetween(start, fakesDone), fakesDone - start));
            try (MbusEntity genuine = bus.start("flood-genuine", false)) {
                long joined = System.nanoTime();
                long learnedMs = -1;
                while (learnedMs < 0 && System.nanoTime() - joined < LEARN_NANOS) {
                    if (knows(receiver, genuine.address())) {
                        learnedMs = (System.nanoTime() - joined) / 1_000_000;
                    }
                    Thread.sleep(5);
                }
                long watchLeft = joined + WATCH_NANOS - System.nanoTime();
                TimeUnit.NANOSECONDS.sleep(Math.max(0, watchLeft));
                long watched = System.nanoTime() - joined;
                boolean genuineKnowsReceiver = knows(genuine, receiver.address());
                int n = receiver.peers().size();
                double intervalS = Math.max(1.0, 0.2 * n);
                report.put("genuineLearnedMs", learnedMs)
                        .put("genuineKnowsReceiver", genuineKnowsReceiver)
                        .put("helloPerSecondAfter", perSecond(sniffer.heardBetween(joined, joined + watched), watched))
                        .put("protocolHelloIntervalS", intervalS);
                report.putStats(receiver.stats());
                report.put("heapMbAfterGc", HeapProbe.usedMbAfterGc());
                if (learnedMs < 0) {
                    report.problem("the genuine peer was not learned within " + LEARN_NANOS / 1_000_000_000 + " s");
                }
                if (!genuineKnowsReceiver) {
                    report.problem("the genuine peer does not know the receiver " + WATCH_NANOS / 1_000_000_000
                            + " s after it started");
                }
                report.summary(n + " peers known after " + FAKES + " fake hellos; by protocol §7 a hello every "
                        + intervalS + " s");
            }
        }
    }

    /** Until the receiver has accepted nothing new for 200 ms (the fakes are all in), at most 3 s. */
    private static void awaitQuiet(MbusEntity receiver) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        long last = -1;
        while (System.nanoTime() - deadline < 0) {
            long now = receiver.stats().received();
            if (now == last) {
                return;
            }
            last = now;
            Thread.sleep(200);
        }
    }

    private static boolean knows(MbusEntity entity, Address peer) {
        return entity.peers().stream().anyMatch(p -> p.address().equals(peer));
    }

    private static double perSecond(long count, long nanos) {
        return Math.round(count * 1e10 / nanos) / 10.0;
    }
}
