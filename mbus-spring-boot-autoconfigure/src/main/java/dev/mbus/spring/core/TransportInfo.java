package dev.mbus.spring.core;

import java.net.InetSocketAddress;

/**
 * Where a running engine is on the network, for health and the actuator endpoint, from the
 * transport settings it started with. Holds no key.
 *
 * @param group            the multicast group
 * @param port             the bus port
 * @param networkInterface the interface name
 * @param scope            {@code HOSTLOCAL} or {@code LINKLOCAL}
 * @param localEndpoint    the IP and port this entity's datagrams come from
 * @param description      the transport's own one-line description
 */
public record TransportInfo(String group, int port, String networkInterface, String scope,
        InetSocketAddress localEndpoint, String description) {
}
