package dev.mbus.spring.core;

import java.net.InetSocketAddress;

/**
 * Where a running engine is on the network, for health and the actuator endpoint. Holds no key.
 *
 * @param group            the multicast group, or null when the transport is not UDP
 * @param port             the bus port, or -1 when the transport is not UDP
 * @param networkInterface the interface name, or null when the transport is not UDP
 * @param scope            {@code HOSTLOCAL} or {@code LINKLOCAL}, or null when the transport is not UDP
 * @param localEndpoint    the IP and port this entity's datagrams come from
 * @param description      the transport's own one-line description
 */
public record TransportInfo(String group, int port, String networkInterface, String scope,
        InetSocketAddress localEndpoint, String description) {
}
