package dev.mbus.spring.test;

import dev.mbus.core.engine.EntityConfig;
import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.message.Address;
import dev.mbus.core.security.CipherAlgorithm;
import dev.mbus.core.security.HashAlgorithm;
import dev.mbus.core.security.MbusKeys;
import dev.mbus.core.transport.Scope;
import dev.mbus.core.transport.TransportSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A private bus for tests: a free UDP port and a fresh random hash key, on the loopback
 * interface with HOSTLOCAL scope (TTL 0), so that nothing leaves the host and no other test's
 * entities are heard. Every context given its {@link #properties()} joins the same bus.
 *
 * <pre>{@code
 * MbusTestBus bus = MbusTestBus.create();
 * new ApplicationContextRunner().withPropertyValues(bus.propertyValues("(app:a)"))...
 * }</pre>
 *
 * The {@code mbus.*} keys set are {@link #PORT}, the interface, the scope and inline keys (so
 * that no {@code ~/.mbus} file is read or created).
 */
public final class MbusTestBus {

    /** The property of the bus port. */
    public static final String PORT = "mbus.transport.port";

    private final int port;
    private final String hashKey;

    private MbusTestBus(int port, String hashKey) {
        this.port = port;
        this.hashKey = hashKey;
    }

    /** A new bus: a free port and a fresh key. */
    public static MbusTestBus create() {
        byte[] key = new byte[MbusKeys.GENERATED_HASH_KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return new MbusTestBus(freeUdpPort(), Base64.getEncoder().encodeToString(key));
    }

    /** The UDP port of this bus. */
    public int port() {
        return port;
    }

    /**
     * Starts a plain engine entity on this bus, for a test to send from or listen with (an
     * entity never receives its own messages, so a context cannot test its listeners by sending
     * to itself). Close it at the end of the test.
     */
    public MbusEntity startEntity(String address) {
        return startEntity(address, builder -> { });
    }

    /**
     * {@link #startEntity(String)} with more settings, such as a clock of its own; {@code customize}
     * gets the builder already set up for this bus.
     */
    public MbusEntity startEntity(String address, Consumer<EntityConfig.Builder> customize) {
        EntityConfig.Builder builder = entityConfig(address);
        customize.accept(builder);
        return MbusEntity.start(builder.build());
    }

    /** The configuration of an entity on this bus, for an {@code MbusEngine} made by hand (without Boot). */
    public EntityConfig.Builder entityConfig(String address) {
        MbusKeys keys = new MbusKeys(HashAlgorithm.HMAC_MD5_96, Base64.getDecoder().decode(hashKey),
                CipherAlgorithm.NOENCR, null);
        return EntityConfig.builder().address(Address.parse(address)).keys(keys)
                .transportSettings(TransportSettings.defaults().withPort(port)
                        .withNetworkInterface(InetAddress.getLoopbackAddress().getHostAddress()).withScope(Scope.HOSTLOCAL));
    }

    /** The {@code mbus.*} properties that put an entity on this bus. */
    public Map<String, String> properties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(PORT, Integer.toString(port));
        properties.put("mbus.transport.interface", InetAddress.getLoopbackAddress().getHostAddress());
        properties.put("mbus.transport.scope", "HOSTLOCAL");
        properties.put("mbus.transport.ipv6", "false");
        properties.put("mbus.transport.group", "");
        properties.put("mbus.security.hash-algorithm", HashAlgorithm.HMAC_MD5_96.configName());
        properties.put("mbus.security.hash-key", hashKey);
        properties.put("mbus.security.cipher", "NOENCR");
        properties.put("mbus.security.cipher-key", "");
        return properties;
    }

    /** {@link #properties()} as {@code key=value} strings. */
    public String[] propertyValues() {
        return propertyValues(null);
    }

    /** {@link #properties()} as {@code key=value} strings, plus {@code mbus.entity.address} when not null. */
    public String[] propertyValues(String address) {
        List<String> values = new ArrayList<>();
        properties().forEach((key, value) -> values.add(key + "=" + value));
        if (address != null) {
            values.add("mbus.entity.address=" + address);
        }
        return values.toArray(String[]::new);
    }

    private static int freeUdpPort() {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free UDP port on loopback", e);
        }
    }

    @Override
    public String toString() {
        return "MbusTestBus[port " + port + " on loopback]"; // never the key
    }
}
