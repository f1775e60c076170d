package dev.mbus.spring.event;

import dev.mbus.core.message.Address;
import java.net.InetSocketAddress;

/**
 * The engine joined the bus: its sockets are bound and it has said hello. Tests can wait for it
 * to learn the endpoint and the group port the entity uses.
 */
public class MbusEngineStartedEvent extends MbusApplicationEvent {

    private final Address address;
    private final InetSocketAddress localEndpoint;
    private final int groupPort;

    public MbusEngineStartedEvent(Object engine, Address address, InetSocketAddress localEndpoint, int groupPort) {
        super(engine);
        this.address = address;
        this.localEndpoint = localEndpoint;
        this.groupPort = groupPort;
    }

    /** The entity's own address, {@code id} element included. */
    public Address getAddress() {
        return address;
    }

    /** The IP and port the entity's datagrams come from. */
    public InetSocketAddress getLocalEndpoint() {
        return localEndpoint;
    }

    /** The UDP port of the bus (the group port), or -1 when the transport is not UDP. */
    public int getGroupPort() {
        return groupPort;
    }
}
