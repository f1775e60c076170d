package dev.mbus.benchmarks.flood;

import dev.mbus.benchmarks.FreePorts;
import dev.mbus.core.engine.EntityConfig;
import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.message.Address;
import dev.mbus.core.security.CipherAlgorithm;
import dev.mbus.core.security.HashAlgorithm;
import dev.mbus.core.security.MbusKeys;
import dev.mbus.core.transport.Scope;
import dev.mbus.core.transport.TransportSettings;
import java.nio.charset.StandardCharsets;

/**
 * A private loopback bus for one flood: its own port, the group on {@code lo} with TTL 0, and
 * fixed keys that the crafted senders share, so that their datagrams are authentic.
 */
final class FloodBus {

    static final MbusKeys KEYS = new MbusKeys(HashAlgorithm.HMAC_MD5_96,
            "flood-heap-key".getBytes(StandardCharsets.US_ASCII), CipherAlgorithm.NOENCR, null);

    private final TransportSettings settings = TransportSettings.defaults().withPort(FreePorts.udp())
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
}
