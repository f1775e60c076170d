package dev.mbus.benchmarks.compare.mbus;

import dev.mbus.core.engine.Batching;
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
 * The private loopback bus of one trial: a port of its own, the group on {@code lo} with TTL 0,
 * the engine's default settings (hash only, unicast to the sole peer) and one fixed key, which
 * guards nothing but keeps other buses' datagrams out.
 */
final class MbusBus {

    static final Address RECEIVER = Address.parse("(app:mbus-compare role:receiver)");
    static final Address SENDER = Address.parse("(app:mbus-compare role:sender)");
    static final String COMMAND = "compare.data";

    private static final MbusKeys KEYS = new MbusKeys(HashAlgorithm.HMAC_MD5_96,
            "mbus-compare-key".getBytes(StandardCharsets.US_ASCII), CipherAlgorithm.NOENCR, null);

    private MbusBus() {
    }

    static MbusEntity start(Address address, int port, Batching batching) {
        return MbusEntity.start(EntityConfig.builder()
                .address(address)
                .keys(KEYS)
                .transportSettings(TransportSettings.defaults().withPort(port).withNetworkInterface("lo")
                        .withScope(Scope.HOSTLOCAL))
                .batching(batching)
                .build());
    }
}
