package dev.mbus.core.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Loopback-only helpers: every transport a test opens sends through {@code lo} with TTL 0, on a
 * port nobody else uses.
 */
public final class LoopbackSupport {

    private LoopbackSupport() {
    }

    /** A UDP port free on every address right now (bound without address reuse, then released). */
    public static int freePort() {
        for (int attempt = 0; attempt < 10; attempt++) {
            try (DatagramChannel probe = DatagramChannel.open(StandardProtocolFamily.INET)) {
                probe.bind(new InetSocketAddress(0));
                int port = ((InetSocketAddress) probe.getLocalAddress()).getPort();
                if (port != TransportSettings.DEFAULT_PORT) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free port");
    }

    /** HOSTLOCAL (TTL 0) on lo, the given port. */
    public static TransportSettings loopback(int port) {
        return TransportSettings.defaults().withPort(port).withNetworkInterface("lo").withScope(Scope.HOSTLOCAL);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Polls every 2 ms until the condition holds or the time is up; returns the last result. */
    static boolean await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return condition.getAsBoolean();
            }
        }
        return true;
    }

    /** How many live threads receive for the bus on {@code port}. */
    static long receiveThreads(int port) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("mbus-receive-" + port)).count();
    }

    /**
     * How many sockets of this host are bound to {@code port}, from Linux's {@code /proc/net/udp}
     * (each one gets its own copy of every datagram sent to the group); -1 where there is none.
     */
    static long socketsBoundTo(int port) {
        Path table = Path.of("/proc/net/udp");
        if (!Files.isReadable(table)) {
            return -1;
        }
        String suffix = String.format(":%04X", port);
        try (Stream<String> lines = Files.lines(table)) {
            return lines.skip(1).map(line -> line.trim().split("\\s+")[1]).filter(local -> local.endsWith(suffix))
                    .count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean receiveThreadAlive(int port) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive() && t.getName().equals("mbus-receive-" + port));
    }

    record Received(String text, InetSocketAddress sender, String thread) {
    }

    /** Records every datagram (copied) and whether idle() came after the last one. */
    static class Collector implements DatagramReceiver {
        final List<Received> received = new CopyOnWriteArrayList<>();
        final AtomicInteger idles = new AtomicInteger();
        volatile boolean idleAfterLast;

        @Override
        public void receive(byte[] buffer, int offset, int length, InetSocketAddress sender) {
            received.add(new Received(new String(buffer, offset, length, StandardCharsets.UTF_8), sender,
                    Thread.currentThread().getName()));
            idleAfterLast = false;
        }

        @Override
        public void idle() {
            idles.incrementAndGet();
            idleAfterLast = true;
        }

        int count() {
            return received.size();
        }

        boolean awaitCount(int n) {
            return await(() -> received.size() >= n, Duration.ofSeconds(5));
        }

        List<String> texts() {
            return received.stream().map(Received::text).toList();
        }
    }
}
