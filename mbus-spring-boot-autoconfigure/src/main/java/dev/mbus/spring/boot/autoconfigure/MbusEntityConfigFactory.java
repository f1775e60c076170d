package dev.mbus.spring.boot.autoconfigure;

import static dev.mbus.spring.boot.diagnostics.MbusPropertyChecks.check;

import dev.mbus.core.config.MbusConfig;
import dev.mbus.core.config.MbusConfigException;
import dev.mbus.core.config.MbusConfigFile;
import dev.mbus.core.engine.Batching;
import dev.mbus.core.engine.EntityConfig;
import dev.mbus.core.engine.ProtocolTimers;
import dev.mbus.core.message.Address;
import dev.mbus.core.security.CipherAlgorithm;
import dev.mbus.core.security.HashAlgorithm;
import dev.mbus.core.security.MbusKeys;
import dev.mbus.core.transport.NetworkInterfaces;
import dev.mbus.core.transport.Scope;
import dev.mbus.core.transport.TransportSettings;
import dev.mbus.spring.boot.diagnostics.InvalidMbusPropertyException;
import dev.mbus.spring.boot.diagnostics.MbusPropertyChecks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.util.StringUtils;

/**
 * Makes the engine's {@link EntityConfig} from {@link MbusProperties}, once per engine start:
 * keys (inline, or from the Mbus configuration file, created when missing), transport settings
 * (properties first, then the file's SCOPE, ADDRESS and PORT, then the protocol's defaults),
 * timers. Then the customizers. The engine opens the UDP transport from these settings when it
 * starts (unless a customizer gave it another transport). A value the engine cannot take fails
 * with an {@link InvalidMbusPropertyException} that names the property, for Boot's failure report.
 */
public class MbusEntityConfigFactory implements Supplier<EntityConfig> {

    private static final Log logger = LogFactory.getLog(MbusEntityConfigFactory.class);

    private final MbusProperties properties;
    private final String applicationName;
    private final Executor handlerExecutor;
    private final List<MbusEntityConfigCustomizer> customizers;

    /**
     * @param applicationName {@code spring.application.name}, the default {@code app} element; may be null
     * @param handlerExecutor where listeners run; null for the engine's own pool
     */
    public MbusEntityConfigFactory(MbusProperties properties, String applicationName, Executor handlerExecutor,
            List<MbusEntityConfigCustomizer> customizers) {
        this.properties = properties;
        this.applicationName = applicationName;
        this.handlerExecutor = handlerExecutor;
        this.customizers = List.copyOf(customizers);
    }

    @Override
    public EntityConfig get() {
        MbusProperties.Security security = properties.security();
        MbusConfig file = null;
        MbusKeys keys;
        if (security.hasInlineKeys()) {
            keys = inlineKeys(security);
        } else {
            Path path = security.configFile() != null ? security.configFile() : MbusConfigFile.defaultLocation();
            requireNoInlineKeySettings(security, path);
            file = loadConfigFile(path, security.configFile() == null);
            keys = file.keys();
            logger.debug("Mbus keys from " + path + ": " + keys);
        }
        TransportSettings transportSettings = transportSettings(properties.transport(), file);
        EntityConfig.Builder builder = EntityConfig.builder()
                .address(address())
                .keys(keys)
                .transportSettings(transportSettings)
                .timers(timers())
                .reliableWindow(properties.reliable().window())
                .reliableWindowBytes(properties.reliable().windowBytes().toBytes())
                .maxDelay(properties.reliable().maxDelay())
                .freshness(properties.inbound().freshness())
                .batching(batching(properties.batching()))
                .receiveAll(properties.entity().receiveAll());
        inboundBounds(builder, properties.inbound());
        if (handlerExecutor != null) {
            builder.handlerExecutor(handlerExecutor);
        }
        for (MbusEntityConfigCustomizer customizer : customizers) {
            customizer.customize(builder);
        }
        return builder.build();
    }

    /**
     * Without an inline hash key, the keys come from the file, cipher included: a cipher or
     * hash algorithm set beside them would be ignored, so it is refused.
     */
    private static void requireNoInlineKeySettings(MbusProperties.Security security, Path file) {
        String ignored = StringUtils.hasText(security.cipherKey()) ? "mbus.security.cipher-key"
                : security.cipher() != null ? "mbus.security.cipher"
                : security.hashAlgorithm() != null ? "mbus.security.hash-algorithm" : null;
        if (ignored != null) {
            String value = ignored.endsWith("-key") ? null
                    : String.valueOf(security.cipher() != null ? security.cipher() : security.hashAlgorithm());
            throw new InvalidMbusPropertyException(ignored, value, null, ignored
                    + " is set but mbus.security.hash-key is not set, so the keys, cipher and algorithm included, "
                    + "would come from the Mbus configuration file " + file + " and this setting would be ignored",
                    "Set mbus.security.hash-key too, to give the keys inline, or remove " + ignored
                            + " to use those of the configuration file.", null);
        }
    }

    private static MbusConfig loadConfigFile(Path path, boolean defaultLocation) {
        try {
            return MbusConfigFile.loadOrCreate(path);
        } catch (MbusConfigException e) {
            String action = (e.line() > 0 ? "Correct line " + e.line() + " of " + path
                    + " (an [MBUS] line, then KEY=value lines; every entity of the bus needs the same keys)"
                    : "Do what the problem says")
                    + ", or point mbus.security.config-file at another file, or give the keys inline with "
                    + "mbus.security.hash-key.";
            throw new InvalidMbusPropertyException("mbus.security.config-file", path.toString(),
                    defaultLocation ? "not set: the default location ($" + MbusConfigFile.ENV_VARIABLE
                            + ", else ~/" + MbusConfigFile.FILE_NAME + ")" : null,
                    e.getMessage(), action, e);
        }
    }

    /** The transport settings the properties and the file (may be null) give. */
    public static TransportSettings transportSettings(MbusProperties.Transport transport, MbusConfig file) {
        TransportSettings settings = TransportSettings.defaults().withIpv6(transport.ipv6());
        Scope scope = transport.scope();
        if (scope == null && file != null) {
            scope = file.scope();
        }
        if (scope != null) {
            settings = settings.withScope(scope);
        }
        String group = transport.group();
        if (StringUtils.hasText(group)) {
            TransportSettings base = settings;
            settings = check("mbus.transport.group", group, "Set mbus.transport.group to a multicast address: IPv4 "
                    + "224.0.0.0/4 (the protocol's is " + TransportSettings.IPV4_GROUP + ") or, with "
                    + "mbus.transport.ipv6=true, IPv6 FF00::/8; or remove it to use the ADDRESS of the configuration file.",
                    () -> base.withGroup(group));
        } else if (file != null && !(transport.ipv6() && MbusConfig.DEFAULT_GROUP.equals(file.group()))) {
            settings = settings.withGroup(file.group());
        }
        if (transport.port() != null) {
            TransportSettings base = settings;
            settings = check("mbus.transport.port", transport.port(), "Set mbus.transport.port to the UDP port of the "
                    + "bus, 1 to 65535 (the protocol's is " + TransportSettings.DEFAULT_PORT + "), or remove it to use "
                    + "the PORT of the configuration file.", () -> base.withPort(transport.port()));
        } else if (file != null) {
            settings = settings.withPort(file.port());
        }
        String networkInterface = transport.networkInterface();
        if (StringUtils.hasText(networkInterface)) {
            check("mbus.transport.interface", networkInterface, "Set mbus.transport.interface to the name or an "
                    + "address of one of this host's interfaces that is up and can multicast, or remove it to use the "
                    + "loopback interface.", () -> NetworkInterfaces.resolve(networkInterface, transport.ipv6()));
        }
        TransportSettings base = settings;
        return check("mbus.transport.receive-buffer", transport.receiveBuffer(), "Set mbus.transport.receive-buffer "
                + "to at least 64KB.", () -> base.withNetworkInterface(networkInterface)
                .withReceiveBufferBytes(Math.toIntExact(transport.receiveBuffer().toBytes()))
                .withUnicast(transport.unicast()));
    }

    private static Batching batching(MbusProperties.Batching batching) {
        boolean lingerBad = batching.linger().isNegative() || batching.linger().compareTo(Duration.ofMillis(1)) > 0;
        boolean sizeBad = !lingerBad && batching.maxDatagramSize().toBytes() < 256;
        String property = lingerBad ? "mbus.batching.linger"
                : sizeBad ? "mbus.batching.max-datagram-size" : "mbus.batching.max-own-datagram-size";
        Object value = lingerBad ? batching.linger() : sizeBad ? batching.maxDatagramSize() : batching.maxOwnDatagramSize();
        return check(property, value, "Set mbus.batching.linger between 0 and 1ms, mbus.batching.max-datagram-size "
                        + "to at least 256B and mbus.batching.max-own-datagram-size from max-datagram-size to 65507B.",
                () -> new Batching(batching.linger(), Math.toIntExact(batching.maxDatagramSize().toBytes()),
                        Math.toIntExact(batching.maxOwnDatagramSize().toBytes())));
    }

    private static void inboundBounds(EntityConfig.Builder builder, MbusProperties.Inbound inbound) {
        // The per-sender bound is the one below a datagram when both are (it cannot exceed the total).
        boolean perSender = inbound.maxBytesPerSender().toBytes() <= inbound.maxBytes().toBytes();
        String property = perSender ? "mbus.inbound.max-bytes-per-sender" : "mbus.inbound.max-bytes";
        check(property, perSender ? inbound.maxBytesPerSender() : inbound.maxBytes(), "Set mbus.inbound.max-bytes "
                + "and mbus.inbound.max-bytes-per-sender to at least 65507B each (the largest datagram).",
                () -> builder.maxInboundBytes(inbound.maxBytes().toBytes(), inbound.maxBytesPerSender().toBytes()));
    }

    private Address address() {
        String configured = properties.entity().address();
        if (StringUtils.hasText(configured)) {
            return MbusPropertyChecks.address("mbus.entity.address", configured);
        }
        if (StringUtils.hasText(applicationName) && Address.isElement("app:" + applicationName.strip())) {
            return Address.of("app:" + applicationName.strip());
        }
        return Address.BROADCAST;
    }

    private ProtocolTimers timers() {
        MbusProperties.Reliable reliable = properties.reliable();
        MbusProperties.Hello hello = properties.hello();
        return ProtocolTimers.RFC.withRetransmissions(reliable.retransmitBase(), reliable.maxRetransmissions())
                .withAckDelay(reliable.ackDelay())
                .withHello(hello.minInterval(), hello.factor(), hello.deadIntervals());
    }

    private static MbusKeys inlineKeys(MbusProperties.Security security) {
        byte[] hashKey = decode(security.hashKey(), "mbus.security.hash-key",
                "Set mbus.security.hash-key to the Base64 HMAC key of the bus (the key of the HASHKEY line of its "
                        + ".mbus file), or remove it to use the configuration file.");
        byte[] cipherKey = StringUtils.hasText(security.cipherKey()) ? decode(security.cipherKey(),
                "mbus.security.cipher-key", "Set mbus.security.cipher-key to the Base64 cipher key of the bus "
                        + "(the key of the ENCRYPTIONKEY line of its .mbus file).") : null;
        HashAlgorithm hash = security.hashAlgorithm() != null ? security.hashAlgorithm() : HashAlgorithm.HMAC_MD5_96;
        CipherAlgorithm cipher = security.cipher() != null ? security.cipher() : CipherAlgorithm.NOENCR;
        if (cipher == CipherAlgorithm.NOENCR && cipherKey != null) {
            throw new InvalidMbusPropertyException("mbus.security.cipher", cipher.name(),
                    "not set: the default, NOENCR", "NOENCR takes no key, yet mbus.security.cipher-key is set",
                    "Set mbus.security.cipher to DES or AES, whichever the key is for, or remove "
                            + "mbus.security.cipher-key.", null);
        }
        return check("mbus.security.cipher-key", null, "Set mbus.security.cipher-key to the Base64 " + cipher
                + " key of the bus, or set mbus.security.cipher=NOENCR if the bus is not encrypted.",
                () -> new MbusKeys(hash, hashKey, cipher, cipherKey));
    }

    private static byte[] decode(String base64, String property, String action) {
        try {
            return Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            // Never shown nor chained: the message could echo a piece of the key.
            throw new InvalidMbusPropertyException(property, null, null, property + " is not valid Base64", action,
                    null);
        }
    }
}
