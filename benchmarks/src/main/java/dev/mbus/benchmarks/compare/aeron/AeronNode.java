package dev.mbus.benchmarks.compare.aeron;

import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import java.time.Duration;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * One process's Aeron: an embedded media driver of its own (one shared thread that backs off
 * when idle, as fits a small shared machine; its directory removed on close) and a client on it.
 * Channels are UDP unicast on 127.0.0.1.
 */
final class AeronNode implements AutoCloseable {

    static final int STREAM = 1001;
    private static final Duration CONNECT_LIMIT = Duration.ofSeconds(30);

    private final MediaDriver driver;
    private final Aeron aeron;
    private volatile boolean closing;

    AeronNode() {
        driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
                .aeronDirectoryName(CommonContext.getAeronDirectoryName() + "-mbus-compare-" + ProcessHandle.current().pid())
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(new BackoffIdleStrategy())
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
    }

    static String channel(int port, boolean reliable) {
        return "aeron:udp?endpoint=127.0.0.1:" + port + (reliable ? "" : "|reliable=false");
    }

    Publication publication(String channel) {
        return aeron.addPublication(channel, STREAM);
    }

    Subscription subscription(String channel) {
        return aeron.addSubscription(channel, STREAM);
    }

    /** Polls {@code subscription} on a thread of its own until this node closes. */
    void pollOnOwnThread(Subscription subscription, FragmentHandler handler, String name) {
        Thread poller = new Thread(() -> {
            IdleStrategy idle = new BackoffIdleStrategy();
            while (!closing) {
                idle.idle(subscription.poll(handler, 256));
            }
        }, name);
        poller.setDaemon(true);
        poller.start();
    }

    /** Waits until {@code publication} has a subscriber. */
    static void awaitConnected(Publication publication) throws InterruptedException {
        long limit = System.nanoTime() + CONNECT_LIMIT.toNanos();
        while (!publication.isConnected()) {
            if (System.nanoTime() - limit > 0) {
                throw new IllegalStateException("no Aeron subscriber on " + publication.channel() + " within " + CONNECT_LIMIT);
            }
            Thread.sleep(1);
        }
    }

    /** Offers one message, waiting while the stream pushes back. */
    static void offer(Publication publication, org.agrona.DirectBuffer buffer, int offset, int length) {
        long limit = 0;
        long result;
        while ((result = publication.offer(buffer, offset, length)) < 0) {
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED) {
                throw new IllegalStateException("the Aeron publication refused a message: " + result);
            }
            if (result == Publication.NOT_CONNECTED) {
                limit = limit == 0 ? System.nanoTime() + CONNECT_LIMIT.toNanos() : limit;
                if (System.nanoTime() - limit > 0) {
                    throw new IllegalStateException("the Aeron subscriber went away");
                }
            }
            Thread.onSpinWait();
        }
    }

    @Override
    public void close() {
        closing = true;
        aeron.close();
        driver.close();
    }
}
