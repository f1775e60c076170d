package dev.mbus.core.transport;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Finds the network interface a transport sends and joins on, and the local address its sending
 * socket binds to.
 *
 * <p>Linux note, checked on this project's build machine: {@code lo} does not carry the
 * {@code MULTICAST} flag, so {@link NetworkInterface#supportsMulticast()} is false for it, and
 * there is no multicast route through {@code lo} (the default route goes elsewhere). IPv4 multicast
 * on {@code lo} works anyway, without any route or root change: joining with the interface given
 * explicitly and setting {@code IP_MULTICAST_IF} to it makes the kernel send through {@code lo}
 * regardless of the routing table. Loopback interfaces are therefore accepted even though they
 * report no multicast support; other interfaces must report it.
 */
public final class NetworkInterfaces {

    private NetworkInterfaces() {
    }

    /**
     * The chosen interface and the address of the wanted family that the sending socket binds to.
     */
    public record Resolved(NetworkInterface networkInterface, InetAddress address) {
        public String name() {
            return networkInterface.getName();
        }
    }

    /**
     * Resolves an interface by name ({@code lo}, {@code eth0}), by one of its addresses
     * ({@code 127.0.0.1}, {@code ::1}; that address is then the one bound), or, for {@code null},
     * the loopback interface.
     *
     * @throws IllegalArgumentException if there is no such interface (the message lists the
     *     available ones), it is down, cannot do multicast, or has no address of the family
     * @throws TransportException if the interfaces cannot be listed
     */
    public static Resolved resolve(String spec, boolean ipv6) {
        try {
            if (spec == null) {
                return loopback(ipv6);
            }
            NetworkInterface nif;
            InetAddress wantedAddress = null;
            if (TransportSettings.isIpLiteral(spec)) {
                wantedAddress = TransportSettings.parseLiteral(spec, "Interface address");
                if (TransportSettings.isIpv6(wantedAddress) != ipv6) {
                    throw new IllegalArgumentException("Interface address " + spec + " is IPv"
                            + (ipv6 ? 4 : 6) + " but the transport is set to IPv" + (ipv6 ? 6 : 4));
                }
                nif = NetworkInterface.getByInetAddress(wantedAddress);
            } else {
                nif = NetworkInterface.getByName(spec);
            }
            if (nif == null) {
                throw new IllegalArgumentException("No network interface '" + spec + "'; available: "
                        + available());
            }
            return check(nif, wantedAddress, ipv6);
        } catch (SocketException e) {
            throw new TransportException("Cannot list network interfaces: " + e.getMessage(), e);
        }
    }

    private static Resolved loopback(boolean ipv6) throws SocketException {
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nif.isLoopback() && nif.isUp() && pickAddress(nif, ipv6) != null) {
                return check(nif, null, ipv6);
            }
        }
        throw new IllegalArgumentException("No loopback interface with an IPv" + (ipv6 ? 6 : 4)
                + " address is up; available: " + available());
    }

    private static Resolved check(NetworkInterface nif, InetAddress wantedAddress, boolean ipv6)
            throws SocketException {
        String name = nif.getName();
        if (!nif.isUp()) {
            throw new IllegalArgumentException("Network interface " + name + " is down");
        }
        if (!nif.supportsMulticast() && !nif.isLoopback()) {
            throw new IllegalArgumentException("Network interface " + name + " does not support multicast");
        }
        InetAddress address = wantedAddress != null ? withScope(wantedAddress, nif) : pickAddress(nif, ipv6);
        if (address == null) {
            throw new IllegalArgumentException("Network interface " + name + " has no IPv" + (ipv6 ? 6 : 4)
                    + " address");
        }
        return new Resolved(nif, address);
    }

    /** First address of the family; for IPv6 a non-link-local one if there is one. */
    private static InetAddress pickAddress(NetworkInterface nif, boolean ipv6) {
        InetAddress linkLocal = null;
        for (InetAddress a : Collections.list(nif.getInetAddresses())) {
            if (!ipv6 && a instanceof Inet4Address) {
                return a;
            }
            if (ipv6 && a instanceof Inet6Address) {
                if (!a.isLinkLocalAddress()) {
                    return a;
                }
                if (linkLocal == null) {
                    linkLocal = a;
                }
            }
        }
        return linkLocal;
    }

    /** A link-local IPv6 address can only be bound with its interface as scope. */
    private static InetAddress withScope(InetAddress a, NetworkInterface nif) throws SocketException {
        if (a instanceof Inet6Address && a.isLinkLocalAddress() && ((Inet6Address) a).getScopedInterface() == null) {
            try {
                return Inet6Address.getByAddress(null, a.getAddress(), nif);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e); // 16 bytes: cannot happen
            }
        }
        return a;
    }

    /** "lo (127.0.0.1, ::1), eth0 (...)" for error messages. */
    static String available() {
        try {
            List<String> out = new ArrayList<>();
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                String addresses = Collections.list(nif.getInetAddresses()).stream()
                        .map(InetAddress::getHostAddress)
                        .collect(Collectors.joining(", "));
                out.add(nif.getName() + (addresses.isEmpty() ? "" : " (" + addresses + ")"));
            }
            Collections.sort(out);
            return out.isEmpty() ? "none" : String.join(", ", out);
        } catch (SocketException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
