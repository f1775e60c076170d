package dev.mbus.spring.integration;

import dev.mbus.core.engine.IncomingCommand;
import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.engine.Subscription;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.MbusValue;
import dev.mbus.spring.core.MbusEngine;
import dev.mbus.spring.listener.MbusCommandSubscription;
import dev.mbus.spring.listener.MbusListenerEndpointRegistry;
import dev.mbus.spring.support.MbusConversionException;
import dev.mbus.spring.support.MbusHeaders;
import dev.mbus.spring.support.MbusValueConverter;
import java.util.List;
import java.util.Objects;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.integration.endpoint.MessageProducerSupport;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Turns the Mbus commands the engine receives into Spring messages: the payload is the
 * command's arguments, the headers those of {@link MbusHeaders}, as an {@code @MbusListener}
 * method sees them.
 *
 * <p>Which commands: those matching the {@linkplain #setCommands command patterns} ({@code *} by
 * default), in messages addressed to the {@linkplain #setDestination destination} (by default any
 * message the entity receives), except the {@code mbus.*} awareness commands unless
 * {@linkplain #setIncludeAwareness asked for}.
 *
 * <p>Threads: the adapter subscribes on the engine as listener containers do
 * ({@link MbusCommandSubscription}), so the flow runs on the engine's handler threads, one
 * command at a time and in order per sender, never on its receive thread. What the flow throws
 * goes to the {@linkplain #setErrorChannel error channel} when there is one; either way the
 * adapter goes on with the next command.
 *
 * <p>Lifecycle: by default it starts after the engine and stops before it (the phase of the
 * listener containers); when it starts with the context it subscribes as the entity is about to
 * join, so that no command reaches the entity before the adapter can take it.
 */
public class MbusInboundChannelAdapter extends MessageProducerSupport {

    private final MbusEngine engine;
    private List<String> commands = List.of("*");
    private Address destination;
    private Class<?> payloadType;
    private boolean includeAwareness;
    private MbusValueConverter converter;
    private MbusCommandSubscription subscription;
    private Subscription joinHook;
    /** Whether the adapter should be subscribed whenever the engine runs: started, or to start with the context. */
    private volatile boolean wanted;

    public MbusInboundChannelAdapter(MbusEngine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
        setPhase(MbusListenerEndpointRegistry.DEFAULT_PHASE);
    }

    /** Command names and prefix patterns, as {@code @MbusListener(commands = ...)}: {@code "tool.*"}; {@code "*"} for all. */
    public void setCommands(String... patterns) {
        Assert.notEmpty(patterns, "At least one command pattern");
        this.commands = List.of(patterns);
    }

    /**
     * Only messages sent to a destination containing every element of this address, as
     * {@code @MbusListener(destination = ...)}: {@code "(module:ui)"}; {@code ""} (the default)
     * for every message the entity receives, that is every message addressed to it.
     */
    public void setDestination(String addressPattern) {
        this.destination = StringUtils.hasText(addressPattern) ? Address.parse(addressPattern) : null;
    }

    /**
     * The payload type: the arguments converted as an {@code @Payload} parameter of a listener
     * ({@code String} for a one-argument command, {@code List<..>}, an array or a record for
     * all); null (the default) for the raw {@code List<MbusValue>}.
     */
    public void setPayloadType(Class<?> type) {
        this.payloadType = type == List.class ? null : type;
    }

    /** Whether the {@code mbus.*} commands (hello, bye, ping, ...) are produced too; false by default. */
    public void setIncludeAwareness(boolean include) {
        this.includeAwareness = include;
    }

    /** Converts the arguments to the payload type; by default the context's {@link MbusValueConverter} (see the auto-configuration). */
    public void setConverter(MbusValueConverter converter) {
        this.converter = Objects.requireNonNull(converter, "converter");
    }

    /** Whether a converter was set, by the application or by the auto-configuration. */
    public boolean hasConverter() {
        return converter != null;
    }

    @Override
    public String getComponentType() {
        return "mbus:inbound-channel-adapter";
    }

    @Override
    protected void onInit() {
        super.onInit();
        if (converter == null) {
            converter = new MbusValueConverter();
        }
        subscription = new MbusCommandSubscription(commands, destination, this::onCommand);
        wanted = isAutoStartup();
        joinHook = engine.beforeJoin(this::joining);
    }

    private void joining(MbusEntity entity) {
        if (wanted) {
            subscription.subscribe(entity);
        }
    }

    @Override
    protected void doStart() {
        wanted = true;
        MbusEntity entity = engine.entityIfRunning();
        if (entity != null) {
            subscription.subscribe(entity);
        }
    }

    @Override
    protected void doStop() {
        wanted = false;
        subscription.unsubscribe();
        super.doStop();
    }

    @Override
    public void destroy() {
        super.destroy();
        if (joinHook != null) {
            joinHook.close();
        }
    }

    private void onCommand(IncomingCommand incoming) {
        if (!includeAwareness && incoming.name().startsWith("mbus.")) {
            return;
        }
        Message<List<MbusValue>> received = MbusHeaders.toMessage(incoming, idForHeaders());
        Message<?> message;
        try {
            message = payloadType == null ? received
                    : getMessageBuilderFactory()
                            .withPayload(converter.fromArguments(received.getPayload(),
                                    TypeDescriptor.valueOf(payloadType), incoming.name()))
                            .copyHeaders(received.getHeaders()).build();
        } catch (MbusConversionException e) {
            MessageConversionException failure = new MessageConversionException(received,
                    "Mbus command " + incoming.name() + " from " + incoming.source() + " does not convert to "
                            + payloadType.getSimpleName() + ": " + e.getMessage(), e);
            if (!sendErrorMessageIfNecessary(received, failure)) {
                throw failure; // the engine counts and logs it, and goes on
            }
            return;
        }
        sendMessage(message);
    }

    private String idForHeaders() {
        String name = getComponentName();
        return name != null ? name : getComponentType();
    }

    @Override
    public String toString() {
        return "MbusInboundChannelAdapter[" + idForHeaders() + " " + commands
                + (destination == null ? "" : " to " + destination) + "]";
    }
}
