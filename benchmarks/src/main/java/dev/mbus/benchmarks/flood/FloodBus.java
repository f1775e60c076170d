package dev.mbus.benchmarks.flood;

import dev.mbus.core.engine.EntityConfig;
import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.message.Address;
import dev.mbus.core.security.CipherAlgorithm;
import dev.mbus.core.security.HashAlgorithm;
import dev.mbus.core.security.MbusKeys;
import dev.mbus.core.transport.Scope;
import dev.mbus.core.transport.TransportSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;

/**
 * A private loopback bus for one flood: its own port, the group on {@code lo} with TTL 0, and
 * fixed keys that the crafted senders share, so that their datagrams are authentic.
 */
final class FloodBus {

    static final MbusKeys KEYS = new MbusKeys(HashAlgorithm.HMAC_MD5_96,
            "flood-heap-key".getBytes(StandardCharsets.US_ASCII), CipherAlgorithm.NOENCR, null);

    private final TransportSettings settings = TransportSettings.defaults().withPort(freePort())
            .withNetworkInterface("lo").withScope(Scope.HOSTLOCAL);

    TransportSettings settings() {
        return settings;
    }

    /** Starts an entity {@code (app:<app> id:...)} on this bus, with the default engine settings. */
    MbusEntity start(String app, boolean receiveAll) {
        return MbusEntity.start(EntityConfig.builder()
                .address(Address.of("app:" + app))
                .keys(KEYS)
                .transportSettings(settings)
                .receiveAll(receiveAll)
                .build());
    }

    /** A UDP port free right now and not the public bus's, so the flood never reaches a real bus. */
    private static int freePort() {
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
        throw new IllegalStateException("no free UDP port");
    }
}
