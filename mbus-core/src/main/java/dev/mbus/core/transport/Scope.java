package dev.mbus.core.transport;

import java.util.Locale;

/**
 * How far Mbus datagrams may travel (RFC 3259 §5). The value is the IPv4 TTL / IPv6 hop limit
 * of every datagram this transport sends.
 */
public enum Scope {

    /** TTL / hop limit 0: the kernel loops the datagram back to this host and never transmits it. */
    HOSTLOCAL(0),

    /** TTL / hop limit 1: the datagram reaches the link and is never routed beyond it. */
    LINKLOCAL(1);

    private final int ttl;

    Scope(int ttl) {
        this.ttl = ttl;
    }

    /** The IPv4 TTL / IPv6 hop limit used for this scope. */
    public int ttl() {
        return ttl;
    }

    /**
     * Parses a scope name as written in configuration files, ignoring case and surrounding
     * blanks ({@code hostlocal}, {@code LINKLOCAL}).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Scope parse(String text) {
        if (text != null) {
            String name = text.strip().toUpperCase(Locale.ROOT);
            for (Scope scope : values()) {
                if (scope.name().equals(name)) {
                    return scope;
                }
            }
        }
        throw new IllegalArgumentException(
                "Unknown Mbus scope '" + text + "'; expected HOSTLOCAL or LINKLOCAL");
    }
}
