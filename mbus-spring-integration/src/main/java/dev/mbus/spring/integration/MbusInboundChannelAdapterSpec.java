package dev.mbus.spring.integration;

import dev.mbus.spring.core.MbusEngine;
import dev.mbus.spring.support.MbusValueConverter;
import org.springframework.integration.dsl.MessageProducerSpec;

/** Configures an {@link MbusInboundChannelAdapter}; made by {@link Mbus#inboundAdapter}. */
public class MbusInboundChannelAdapterSpec
        extends MessageProducerSpec<MbusInboundChannelAdapterSpec, MbusInboundChannelAdapter> {

    protected MbusInboundChannelAdapterSpec(MbusEngine engine) {
        super(new MbusInboundChannelAdapter(engine));
    }

    /** @see MbusInboundChannelAdapter#setCommands */
    public MbusInboundChannelAdapterSpec commands(String... patterns) {
        this.target.setCommands(patterns);
        return this;
    }

    /** @see MbusInboundChannelAdapter#setDestination */
    public MbusInboundChannelAdapterSpec destination(String addressPattern) {
        this.target.setDestination(addressPattern);
        return this;
    }

    /** @see MbusInboundChannelAdapter#setPayloadType */
    public MbusInboundChannelAdapterSpec payloadType(Class<?> type) {
        this.target.setPayloadType(type);
        return this;
    }

    /** @see MbusInboundChannelAdapter#setIncludeAwareness */
    public MbusInboundChannelAdapterSpec includeAwareness(boolean include) {
        this.target.setIncludeAwareness(include);
        return this;
    }

    /** @see MbusInboundChannelAdapter#setConverter */
    public MbusInboundChannelAdapterSpec converter(MbusValueConverter converter) {
        this.target.setConverter(converter);
        return this;
    }
}
