package dev.mbus.benchmarks.flood;

import dev.mbus.core.InvalidDatagramException;
import dev.mbus.core.codec.DatagramCodec;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Message;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Listens on the bus's group the way an entity does and notes when each {@code mbus.hello} of
 * one source arrives, so that its hello rate can be measured from outside.
 */
final class HelloSniffer implements AutoCloseable {

    private final DatagramCodec codec = new DatagramCodec(FloodBus.KEYS);
    private final DatagramChannel channel;
    private final Address source;
    private final Queue<Long> heardNanos = new ConcurrentLinkedQueue<>();

    HelloSniffer(FloodBus bus, Address source) throws IOException {
        this.source = source;
        channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        channel.bind(new InetSocketAddress(bus.settings().groupAddress(), bus.settings().port()));
        channel.join(bus.settings().groupAddress(), NetworkInterface.getByName("lo"));
        Thread reader = new Thread(this::read, "flood-hello-sniffer");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        ByteBuffer buffer = ByteBuffer.allocate(DatagramCodec.MAX_DATAGRAM_BYTES);
        try {
            while (true) {
                buffer.clear();
                channel.receive(buffer);
                try {
                    Message message = codec.decode(buffer.array(), 0, buffer.position());
                    if (message.source().equals(source)
                            && message.commands().stream().anyMatch(c -> c.name().equals("mbus.hello"))) {
                        heardNanos.add(System.nanoTime());
                    }
                } catch (InvalidDatagramException e) {
                    // Not of this bus's keys: not a hello of the entity watched.
                }
            }
        } catch (ClosedChannelException e) {
            // Closed: done.
        } catch (IOException e) {
            throw new IllegalStateException("hello sniffer failed", e);
        }
    }

    /** Hellos heard from the source in [{@code fromNanos}, {@code toNanos}). */
    long heardBetween(long fromNanos, long toNanos) {
        return heardNanos.stream().filter(t -> t - fromNanos >= 0 && t - toNanos < 0).count();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
