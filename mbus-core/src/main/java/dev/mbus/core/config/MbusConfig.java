package dev.mbus.core.config;

import dev.mbus.core.transport.Scope;
import dev.mbus.core.security.MbusKeys;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The contents of an Mbus configuration file (protocol §9): the keys and where the bus is.
 *
 * @param keys         hash and cipher keys
 * @param scope        how far datagrams travel
 * @param group        the multicast group, e.g. {@code 224.255.222.239}
 * @param port         the UDP port, 1..65535
 * @param otherEntries entries this library does not interpret (gmbus writes {@code INTERFACE},
 *                     {@code SEND_UNICAST}, {@code TIMER_R}, ...), in file order; unmodifiable.
 *                     Written back as they are.
 */
public record MbusConfig(MbusKeys keys, Scope scope, String group, int port, Map<String, String> otherEntries) {

    public static final Scope DEFAULT_SCOPE = Scope.HOSTLOCAL;
    public static final String DEFAULT_GROUP = "224.255.222.239";
    public static final int DEFAULT_PORT = 47000;

    /** The keys the file format itself defines; they cannot be "other" entries. */
    static final Set<String> KNOWN_KEYS =
            Set.of("CONFIG_VERSION", "HASHKEY", "ENCRYPTIONKEY", "SCOPE", "ADDRESS", "PORT");

    public MbusConfig {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(group, "group");
        if (group.isBlank() || containsWhitespace(group)) {
            throw new IllegalArgumentException("group must be a non-empty address without spaces");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535: " + port);
        }
        Map<String, String> copy = new LinkedHashMap<>();
        if (otherEntries != null) {
            otherEntries.forEach((k, v) -> {
                Objects.requireNonNull(k, "entry key");
                Objects.requireNonNull(v, "entry value");
                String name = k.strip();
                if (name.isEmpty() || !name.equals(k) || k.indexOf('=') >= 0 || hasLineBreak(k)
                        || k.startsWith("#") || k.startsWith(";") || k.startsWith("[")) {
                    throw new IllegalArgumentException("not a usable entry name: \"" + k + "\"");
                }
                if (KNOWN_KEYS.contains(k.toUpperCase(Locale.ROOT))) {
                    throw new IllegalArgumentException(k + " is not an other entry: it has its own component");
                }
                if (hasLineBreak(v)) {
                    throw new IllegalArgumentException("value of " + k + " spans lines");
                }
                copy.put(k, v);
            });
        }
        otherEntries = Collections.unmodifiableMap(copy);
    }

    /** The given keys with the default scope, group and port and no other entries. */
    public static MbusConfig withDefaults(MbusKeys keys) {
        return new MbusConfig(keys, DEFAULT_SCOPE, DEFAULT_GROUP, DEFAULT_PORT, Map.of());
    }

    private static boolean containsWhitespace(String s) {
        return s.chars().anyMatch(Character::isWhitespace);
    }

    private static boolean hasLineBreak(String s) {
        return s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
    }
}
