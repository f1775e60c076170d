package dev.mbus.spring.actuate;

import java.net.InetSocketAddress;

/** How health and the actuator endpoint write a socket address: {@code 127.0.0.1:47000}, {@code [::1]:47000}. */
public final class HostAndPort {

    private HostAndPort() {
    }

    /** {@code host:port} with the IP address (no leading slash, no name lookup); null for null. */
    public static String of(InetSocketAddress endpoint) {
        if (endpoint == null) {
            return null;
        }
        String host = endpoint.getAddress() != null ? endpoint.getAddress().getHostAddress() : endpoint.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + endpoint.getPort();
    }
}
