package dev.mbus.benchmarks.compare.raw;

import dev.mbus.benchmarks.compare.Latency;
import dev.mbus.benchmarks.compare.Payload;
import dev.mbus.benchmarks.compare.Sender;
import dev.mbus.core.transport.TransportSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.List;

/**
 * One datagram per message from a plain {@link DatagramChannel}, sent (not connected) to the
 * receiver's socket, the way the engine sends; with {@code echo}, reads the echoes for their
 * round-trip times.
 */
public final class RawSender implements Sender {

    private final boolean echo;
    private final ByteBuffer datagram = ByteBuffer.allocateDirect(Payload.BYTES);
    private DatagramChannel channel;
    private InetSocketAddress target;

    public RawSender(boolean echo) {
        this.echo = echo;
    }

    @Override
    public void connect(List<String> receiver, Latency latency) throws IOException {
        target = new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(receiver.get(0)));
        channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, 1024 * 1024);
        channel.setOption(StandardSocketOptions.SO_RCVBUF, TransportSettings.defaults().receiveBufferBytes());
        channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        if (echo) {
            Thread reader = new Thread(() -> readEchoes(latency), "raw-echoes");
            reader.setDaemon(true);
            reader.start();
        }
    }

    @Override
    public void send(long index) throws IOException {
        datagram.clear();
        Payload.stamp(datagram, index);
        channel.send(datagram, target);
    }

    private void readEchoes(Latency latency) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(65_536);
        try {
            while (true) {
                buffer.clear();
                channel.receive(buffer);
                latency.answered(Payload.sentAt(buffer, 0));
            }
        } catch (ClosedChannelException e) {
            // The trial is over.
        } catch (IOException e) {
            System.err.println("raw sender: " + e);
        }
    }

    @Override
    public boolean answersEach() {
        return echo;
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }
}
