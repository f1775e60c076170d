package dev.mbus.benchmarks.flood;

import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.engine.Subscription;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Whether an entity under flood still serves someone it has never heard of: a fresh source sends
 * it one unreliable {@code flood.probe}, and the probe measures how soon a handler runs it.
 */
final class NewcomerProbe implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REPEAT = Duration.ofMillis(200);
    private static final Address NEWCOMER = Address.of("app:flood-newcomer");

    private final MbusEntity receiver;
    private final CountDownLatch handled = new CountDownLatch(1);
    private final Subscription subscription;
    private long sentNanos;
    private CraftedSender sender;

    NewcomerProbe(MbusEntity receiver) {
        this.receiver = receiver;
        this.subscription = receiver.subscribe("flood.probe", incoming -> {
            if (incoming.source().equals(NEWCOMER)) {
                handled.countDown();
            }
        });
    }

    void send(CraftedSender sender) throws IOException {
        this.sender = sender;
        sentNanos = System.nanoTime();
        sender.send(receiver.localEndpoint(), 1, false, NEWCOMER, receiver.address(), Command.of("flood.probe"));
    }

    /**
     * Waits for the handler up to {@link #TIMEOUT} after the first send, puts
     * {@code newcomerHandledMs} (-1: not handled in time) and reports a problem when it was not.
     * The probe is unreliable and the kernel may drop it while the flood's backlog fills the
     * socket buffer, so it is sent again every {@link #REPEAT} with the next number, as a
     * newcomer's hellos would be.
     */
    void await(FloodReport report) throws InterruptedException, IOException {
        boolean done = false;
        for (long sequence = 2; !done && System.nanoTime() - sentNanos < TIMEOUT.toNanos(); sequence++) {
            done = handled.await(REPEAT.toNanos(), TimeUnit.NANOSECONDS);
            if (!done) {
                sender.send(receiver.localEndpoint(), sequence, false, NEWCOMER, receiver.address(),
                        Command.of("flood.probe"));
            }
        }
        report.put("newcomerHandledMs", done ? (System.nanoTime() - sentNanos) / 1_000_000 : -1);
        if (!done) {
            report.problem("a newcomer's command was not handled within " + TIMEOUT.toSeconds() + " s");
        }
    }

    @Override
    public void close() {
        subscription.close();
    }
}
