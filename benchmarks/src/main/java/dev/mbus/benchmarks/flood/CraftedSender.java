package dev.mbus.benchmarks.flood;

import dev.mbus.core.codec.DatagramCodec;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.Message;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;

/**
 * Sends hand-made messages, sealed with the bus keys, from one plain socket on 127.0.0.1: any
 * number of fake sources can share it, since a source is only the address written in the message.
 * It never reads, so acknowledgements sent back to it are simply dropped by the kernel.
 */
final class CraftedSender implements AutoCloseable {

    private final DatagramCodec codec = new DatagramCodec(FloodBus.KEYS);
    private final DatagramChannel channel;
    private long sent;

    CraftedSender() throws IOException {
        channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20);
        channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** Sends one message of one command, composed now. */
    void send(InetSocketAddress target, long sequence, boolean reliable, Address source, Address destination,
            Command command) throws IOException {
        Message message = new Message(sequence, System.currentTimeMillis(), reliable, source, destination,
                List.of(), List.of(command));
        channel.send(ByteBuffer.wrap(codec.encode(message)), target);
        sent++;
    }

    /** Datagrams sent so far. */
    long sent() {
        return sent;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
