package dev.mbus.cli;

import dev.mbus.core.codec.DatagramCodec;
import dev.mbus.core.message.Address;
import dev.mbus.core.transport.NetworkInterfaces;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code mbus bench --mode raw}: datagrams of the same size as the engine's, one per message,
 * from a plain {@link DatagramChannel} sent the way the engine sends (to the receiver's socket,
 * or to the group), counted by a plain socket: the ceiling for one datagram per message.
 */
final class RawBench {

    private static final int RING = 4096;

    private final BenchSession session;

    RawBench(BenchSession session) {
        this.session = session;
    }

    ObjectNode run(int n) throws Exception {
        int warm = Math.min(session.options.warmup(), n);
        if (warm > 0) {
            measure(warm, "w1");
        }
        return measure(n, "1");
    }

    private ObjectNode measure(int n, String id) throws Exception {
        Address source = session.address("sender", id);
        String pad = session.padding(source, false, n);
        DatagramCodec codec = new DatagramCodec(session.keys);
        ByteBuffer[] ring = new ByteBuffer[Math.min(n, RING)];
        long timestamp = System.currentTimeMillis();
        for (int i = 0; i < ring.length; i++) {
            long number = n - ring.length + i + 1; // the longest numbers: datagrams as long as the last Mbus ones
            ring[i] = ByteBuffer.wrap(codec.encode(session.message(number, timestamp, false, source, pad)));
        }
        int datagramSize = session.datagramSize(source, false, n, pad);
        NetworkInterfaces.Resolved loopback = NetworkInterfaces.resolve(session.settings.networkInterface(), false);
        // The way the engine sends them: to the receiver's socket, or to the group.
        InetSocketAddress target = new InetSocketAddress(session.options.multicast() ? session.settings.groupAddress()
                : loopback.address(), session.rawPort);
        try (DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET)) {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 1024 * 1024);
            channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, loopback.networkInterface());
            channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, session.settings.scope().ttl());
            channel.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            channel.bind(new InetSocketAddress(loopback.address(), 0));
            session.go();
            BenchPacer.Span span = BenchPacer.run(session.options.rate(), n, i -> {
                ByteBuffer datagram = ring[i % ring.length];
                datagram.rewind();
                channel.send(datagram, target);
            });
            BenchSession.Counts counts = session.stop(n);
            return session.report.result("raw", datagramSize, n, span.nanos(), counts.raw(), counts.rawSpanNanos());
        }
    }
}
