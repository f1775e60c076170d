package dev.mbus.spring.boot.autoconfigure;

import dev.mbus.core.config.MbusConfig;
import dev.mbus.core.config.MbusConfigFile;
import dev.mbus.core.engine.Batching;
import dev.mbus.core.engine.EntityConfig;
import dev.mbus.core.engine.ProtocolTimers;
import dev.mbus.core.message.Address;
import dev.mbus.core.security.MbusKeys;
import dev.mbus.core.transport.Scope;
import dev.mbus.core.transport.TransportSettings;
import java.nio.file.Path;
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
 * starts (unless a customizer gave it another transport).
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
            if (StringUtils.hasText(security.cipherKey())) {
                throw new IllegalStateException("mbus.security.cipher-key is set but mbus.security.hash-key is not: "
                        + "inline keys need both (or neither, to use the Mbus configuration file)");
            }
            Path path = security.configFile() != null ? security.configFile() : MbusConfigFile.defaultLocation();
            file = MbusConfigFile.loadOrCreate(path);
            keys = file.keys();
            logger.debug("Mbus keys from " + path + ": " + keys);
        }
        EntityConfig.Builder builder = EntityConfig.builder()
                .address(address())
                .keys(keys)
                .transportSettings(transportSettings(properties.transport(), file))
                .timers(timers())
                .reliableWindow(properties.reliable().window())
                .maxDelay(properties.reliable().maxDelay())
                .freshness(properties.inbound().freshness())
                .batching(new Batching(properties.batching().linger(),
                        Math.toIntExact(properties.batching().maxDatagramSize().toBytes())))
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
        if (!StringUtils.hasText(group) && file != null
                && !(transport.ipv6() && MbusConfig.DEFAULT_GROUP.equals(file.group()))) {
            group = file.group();
        }
        if (StringUtils.hasText(group)) {
            settings = settings.withGroup(group);
        }
        Integer port = transport.port() != null ? transport.port() : file != null ? Integer.valueOf(file.port()) : null;
        if (port != null) {
            settings = settings.withPort(port);
        }
        return settings.withNetworkInterface(transport.networkInterface())
                .withReceiveBufferBytes(Math.toIntExact(transport.receiveBuffer().toBytes()))
                .withUnicast(transport.unicast());
    }

    private static void inboundBounds(EntityConfig.Builder builder, MbusProperties.Inbound inbound) {
        try {
            builder.maxInboundBytes(inbound.maxBytes().toBytes(), inbound.maxBytesPerSender().toBytes());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("mbus.inbound.max-bytes and mbus.inbound.max-bytes-per-sender: "
                    + e.getMessage(), e);
        }
    }

    private Address address() {
        String configured = properties.entity().address();
        if (StringUtils.hasText(configured)) {
            try {
                return Address.parse(configured);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("mbus.entity.address '" + configured + "' is not an Mbus address: "
                        + e.getMessage(), e);
            }
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
        byte[] hashKey = decode(security.hashKey(), "mbus.security.hash-key");
        byte[] cipherKey = StringUtils.hasText(security.cipherKey())
                ? decode(security.cipherKey(), "mbus.security.cipher-key") : null;
        try {
            return new MbusKeys(security.hashAlgorithm(), hashKey, security.cipher(), cipherKey);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Inline Mbus keys (mbus.security.*) are not usable: " + e.getMessage(), e);
        }
    }

    private static byte[] decode(String base64, String property) {
        try {
            return Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(property + " is not valid Base64"); // never echo the key
        }
    }
}
