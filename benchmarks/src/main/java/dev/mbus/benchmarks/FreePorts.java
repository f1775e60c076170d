package dev.mbus.benchmarks;

import dev.mbus.core.transport.TransportSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;

/** UDP ports free right now on the loopback address, never the public bus's. */
public final class FreePorts {

    private FreePorts() {
    }

    public static int udp() {
        for (int attempt = 0; attempt < 10; attempt++) {
            try (DatagramChannel probe = DatagramChannel.open(StandardProtocolFamily.INET)) {
                probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                int port = ((InetSocketAddress) probe.getLocalAddress()).getPort();
                if (port != TransportSettings.DEFAULT_PORT) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free UDP port");
    }
}
