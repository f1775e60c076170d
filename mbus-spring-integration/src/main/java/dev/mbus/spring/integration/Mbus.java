package dev.mbus.spring.integration;

import dev.mbus.spring.core.MbusEngine;
import dev.mbus.spring.core.MbusOperations;

/**
 * Java DSL entry points for Mbus in an {@code IntegrationFlow}.
 *
 * <pre>{@code
 * IntegrationFlow.from(Mbus.inboundAdapter(engine).commands("sensor.*").payloadType(Reading.class))
 *         .transform(...)
 *         .handle(Mbus.outboundAdapter(template).destination("(app:dashboard)").command("dashboard.show").reliable(true))
 *         .get();
 * }</pre>
 */
public final class Mbus {

    private Mbus() {
    }

    /** A channel adapter producing a message for each command the engine receives that matches. */
    public static MbusInboundChannelAdapterSpec inboundAdapter(MbusEngine engine) {
        return new MbusInboundChannelAdapterSpec(engine);
    }

    /** A handler sending each message as an Mbus command through the template. */
    public static MbusMessageHandlerSpec outboundAdapter(MbusOperations template) {
        return new MbusMessageHandlerSpec(template);
    }
}
