package dev.mbus.core.config;

import java.util.Locale;

/** How far Mbus datagrams travel (protocol §5): the IPv4 TTL or IPv6 hop limit. */
public enum Scope {
    /** TTL 0: never leaves the host. The default. */
    HOSTLOCAL(0),
    /** TTL 1: the local link. */
    LINKLOCAL(1);

    private final int ttl;

    Scope(int ttl) {
        this.ttl = ttl;
    }

    /** The multicast TTL / hop limit for this scope. */
    public int ttl() {
        return ttl;
    }

    /** The scope with this configuration-file name (case-insensitive), e.g. {@code HOSTLOCAL}. */
    public static Scope fromConfigName(String name) {
        String wanted = name.strip().toUpperCase(Locale.ROOT);
        for (Scope scope : values()) {
            if (scope.name().equals(wanted)) {
                return scope;
            }
        }
        throw new IllegalArgumentException("unknown scope (expected HOSTLOCAL or LINKLOCAL)");
    }
}
