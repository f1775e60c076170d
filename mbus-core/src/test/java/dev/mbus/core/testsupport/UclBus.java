package dev.mbus.core.testsupport;

import dev.mbus.core.engine.EntityConfig;
import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.message.Address;
import dev.mbus.core.security.MbusKeys;
import dev.mbus.core.transport.LoopbackSupport;
import dev.mbus.core.transport.TransportSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A loopback bus on a free port with {@link UclPeer}s and entities of ours on it; closing it
 * closes our entities first (so their byes reach the peers), then the peers.
 */
public final class UclBus implements AutoCloseable {

    private final int port = LoopbackSupport.freePort();
    private final TransportSettings settings = LoopbackSupport.loopback(port);
    private final List<AutoCloseable> open = new ArrayList<>();

    /** A UCL-like peer bound to the bus port. */
    public UclPeer ucl(String address, MbusKeys keys) {
        UclPeer peer = UclPeer.start(Address.parse(address), keys, TransportSettings.IPV4_GROUP, port);
        open.add(peer);
        return peer;
    }

    /** One of ours on this bus, with the transport settings and anything else {@code customize} sets. */
    public MbusEntity ours(String address, MbusKeys keys, UnaryOperator<EntityConfig.Builder> customize) {
        EntityConfig.Builder builder = EntityConfig.builder().address(Address.parse(address)).keys(keys)
                .transportSettings(settings);
        MbusEntity entity = MbusEntity.start(customize.apply(builder).build());
        open.add(0, entity);
        return entity;
    }

    public int port() {
        return port;
    }

    public TransportSettings settings() {
        return settings;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
    }
}
