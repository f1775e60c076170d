package dev.mbus.core.transport;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Immutable settings of a {@link UdpTransport}. Start from {@link #defaults()} and change what you
 * need with the {@code with...} methods:
 *
 * <pre>{@code
 * TransportSettings s = TransportSettings.defaults().withPort(47001).withScope(Scope.LINKLOCAL);
 * }</pre>
 *
 * <p>The constructor checks everything that can be checked without looking at the machine; the
 * network interface is resolved (and checked) when the transport is opened, see
 * {@link NetworkInterfaces#resolve(String, boolean)}.
 *
 * @param group the multicast group as an IP literal, or {@code null} for the protocol default of
 *     the address family and scope: IPv4 {@value #IPV4_GROUP}; IPv6 {@value #IPV6_HOSTLOCAL_GROUP}
 *     (interface-local scope) for {@link Scope#HOSTLOCAL} and {@value #IPV6_LINKLOCAL_GROUP}
 *     (link-local scope) for {@link Scope#LINKLOCAL}. RFC 3259 registers FF0X::300 where X is the
 *     IPv6 multicast scope, so the group follows the configured scope; an explicit group overrides.
 * @param port the UDP port every entity of the bus binds, 1..65535 (default {@value #DEFAULT_PORT})
 * @param networkInterface the interface to send and join on: a name ({@code lo}, {@code eth0}) or one
 *     of its addresses ({@code 127.0.0.1}, {@code ::1}); {@code null} for the loopback interface
 * @param scope TTL / hop limit of sent datagrams (default {@link Scope#HOSTLOCAL}, TTL 0)
 * @param ipv6 IPv6 instead of IPv4 (default false)
 * @param receiveBufferBytes socket receive buffer to request (default 4 MiB); the kernel may grant
 *     less, see {@link UdpTransport#receiveBufferBytes()}
 * @param unicast whether the engine may send a message straight to the endpoint of the entity it
 *     is for, with {@link Transport#sendTo}, when that entity is the only one it knows and is one of
 *     this library's, at an endpoint of its own (see {@code PeerKind#unicastSafe}; default true; false
 *     sends everything to the group, like the reference implementation). Carried
 *     for the engine; the transport itself always supports both.
 */
public record TransportSettings(String group, int port, String networkInterface, Scope scope,
        boolean ipv6, int receiveBufferBytes, boolean unicast) {

    public static final String IPV4_GROUP = "224.255.222.239";
    public static final String IPV6_HOSTLOCAL_GROUP = "FF01::300";
    public static final String IPV6_LINKLOCAL_GROUP = "FF02::300";
    public static final int DEFAULT_PORT = 47000;
    public static final int DEFAULT_RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;
    /** Below this a single maximal datagram would not fit. */
    public static final int MIN_RECEIVE_BUFFER_BYTES = 64 * 1024;

    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[\\w.-]+)?");

    public TransportSettings {
        Objects.requireNonNull(scope, "scope");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Mbus port " + port + " out of range 1..65535");
        }
        if (receiveBufferBytes < MIN_RECEIVE_BUFFER_BYTES) {
            throw new IllegalArgumentException("Receive buffer of " + receiveBufferBytes
                    + " bytes is too small; at least " + MIN_RECEIVE_BUFFER_BYTES);
        }
        if (group != null) {
            group = group.strip();
            InetAddress address = parseLiteral(group, "Multicast group");
            if (!address.isMulticastAddress()) {
                throw new IllegalArgumentException(
                        "Group " + group + " is not a multicast address (IPv4 224.0.0.0/4, IPv6 FF00::/8)");
            }
            if (isIpv6(address) != ipv6) {
                throw new IllegalArgumentException("Group " + group + " is an IPv" + (ipv6 ? 4 : 6)
                        + " address but the transport is set to IPv" + (ipv6 ? 6 : 4));
            }
        }
        if (networkInterface != null) {
            networkInterface = networkInterface.strip();
            if (networkInterface.isEmpty()) {
                networkInterface = null;
            }
        }
    }

    /** Protocol defaults: IPv4 group {@value #IPV4_GROUP}, port 47000, loopback, HOSTLOCAL. */
    public static TransportSettings defaults() {
        return new TransportSettings(null, DEFAULT_PORT, null, Scope.HOSTLOCAL, false,
                DEFAULT_RECEIVE_BUFFER_BYTES, true);
    }

    /** The group actually used: {@link #group()} if set, else the default for family and scope. */
    public String effectiveGroup() {
        if (group != null) {
            return group;
        }
        if (!ipv6) {
            return IPV4_GROUP;
        }
        return scope == Scope.HOSTLOCAL ? IPV6_HOSTLOCAL_GROUP : IPV6_LINKLOCAL_GROUP;
    }

    /** {@link #effectiveGroup()} as an address (no name lookup happens). */
    public InetAddress groupAddress() {
        return parseLiteral(effectiveGroup(), "Multicast group");
    }

    public TransportSettings withGroup(String newGroup) {
        return new TransportSettings(newGroup, port, networkInterface, scope, ipv6, receiveBufferBytes, unicast);
    }

    public TransportSettings withPort(int newPort) {
        return new TransportSettings(group, newPort, networkInterface, scope, ipv6, receiveBufferBytes, unicast);
    }

    public TransportSettings withNetworkInterface(String newInterface) {
        return new TransportSettings(group, port, newInterface, scope, ipv6, receiveBufferBytes, unicast);
    }

    public TransportSettings withScope(Scope newScope) {
        return new TransportSettings(group, port, networkInterface, newScope, ipv6, receiveBufferBytes, unicast);
    }

    /** Switches the family; an explicit group of the other family must be changed first or together. */
    public TransportSettings withIpv6(boolean newIpv6) {
        return new TransportSettings(group, port, networkInterface, scope, newIpv6, receiveBufferBytes, unicast);
    }

    public TransportSettings withReceiveBufferBytes(int bytes) {
        return new TransportSettings(group, port, networkInterface, scope, ipv6, bytes, unicast);
    }

    public TransportSettings withUnicast(boolean newUnicast) {
        return new TransportSettings(group, port, networkInterface, scope, ipv6, receiveBufferBytes, newUnicast);
    }

    static boolean isIpLiteral(String text) {
        return IPV4_LITERAL.matcher(text).matches() || IPV6_LITERAL.matcher(text).matches();
    }

    /** Parses an IP literal without ever doing a name lookup. */
    static InetAddress parseLiteral(String text, String what) {
        try {
            if (IPV4_LITERAL.matcher(text).matches()) {
                String[] parts = text.split("\\.");
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int octet = Integer.parseInt(parts[i]);
                    if (octet > 255) {
                        throw new IllegalArgumentException(what + " '" + text + "' is not a valid IPv4 address");
                    }
                    bytes[i] = (byte) octet;
                }
                return InetAddress.getByAddress(bytes);
            }
            if (IPV6_LITERAL.matcher(text).matches()) {
                return InetAddress.getByName(text); // contains ':', so parsed as a literal, never looked up
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(what + " '" + text + "' is not a valid IP address", e);
        }
        throw new IllegalArgumentException(what + " '" + text + "' is not an IP address literal");
    }

    static boolean isIpv6(InetAddress address) {
        return address instanceof java.net.Inet6Address;
    }
}
