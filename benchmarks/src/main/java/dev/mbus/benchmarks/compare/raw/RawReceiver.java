package dev.mbus.benchmarks.compare.raw;

import dev.mbus.benchmarks.compare.Counter;
import dev.mbus.benchmarks.compare.Receiver;
import dev.mbus.core.transport.TransportSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.List;

/**
 * A plain {@link DatagramChannel} on 127.0.0.1 that counts datagrams, with the engine's receive
 * buffer size; with {@code echo}, sends each one straight back to where it came from.
 */
public final class RawReceiver implements Receiver {

    private final boolean echo;
    private DatagramChannel channel;

    public RawReceiver(boolean echo) {
        this.echo = echo;
    }

    @Override
    public List<String> start(Counter counter) throws IOException {
        channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.setOption(StandardSocketOptions.SO_RCVBUF, TransportSettings.defaults().receiveBufferBytes());
        channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread reader = new Thread(() -> receive(counter), "raw-receiver");
        reader.setDaemon(true);
        reader.start();
        return List.of(String.valueOf(((InetSocketAddress) channel.getLocalAddress()).getPort()));
    }

    private void receive(Counter counter) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(65_536);
        try {
            while (true) {
                buffer.clear();
                SocketAddress from = channel.receive(buffer);
                counter.hit();
                if (echo) {
                    buffer.flip();
                    channel.send(buffer, from);
                }
            }
        } catch (ClosedChannelException e) {
            // The trial is over.
        } catch (IOException e) {
            System.err.println("raw receiver: " + e);
        }
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }
}
