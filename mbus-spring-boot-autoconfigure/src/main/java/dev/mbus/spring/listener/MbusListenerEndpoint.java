package dev.mbus.spring.listener;

import dev.mbus.core.message.Address;
import dev.mbus.core.message.CommandPattern;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Objects;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.util.Assert;

/**
 * What one listener is: its id, the command patterns it takes, the method that handles them,
 * and its options. Made by the annotation post-processor for each {@code @MbusListener} method,
 * or by hand and given to {@link MbusListenerEndpointRegistry#registerListenerContainer}.
 */
public final class MbusListenerEndpoint {

    private final String id;
    private final List<String> commands;
    private final InvocableHandlerMethod handlerMethod;
    private final Address destinationFilter;
    private final Boolean autoStartup;
    private final MbusListenerErrorHandler errorHandler;
    private final String sendTo;

    private MbusListenerEndpoint(Builder builder) {
        Assert.hasText(builder.id, "A listener needs an id");
        Assert.notEmpty(builder.commands, () -> "Listener '" + builder.id + "' has no command pattern");
        for (String pattern : builder.commands) {
            Assert.isTrue(CommandPattern.isValid(pattern), () -> "Listener '" + builder.id + "': '" + pattern
                    + "' is not a command pattern (a command name, a prefix such as tool.rat.*, or *)");
        }
        this.id = builder.id;
        this.commands = List.copyOf(builder.commands);
        this.handlerMethod = Objects.requireNonNull(builder.handlerMethod, "handlerMethod");
        this.destinationFilter = builder.destinationFilter;
        this.autoStartup = builder.autoStartup;
        this.errorHandler = builder.errorHandler;
        this.sendTo = builder.sendTo;
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    public String getId() {
        return id;
    }

    /** Command names and prefix patterns ({@code tool.rat.*}). */
    public List<String> getCommands() {
        return commands;
    }

    public InvocableHandlerMethod getHandlerMethod() {
        return handlerMethod;
    }

    /** The bean method invoked. */
    public Method getMethod() {
        return handlerMethod.getMethod();
    }

    /**
     * Only messages whose destination contains every element of this address are handled (e.g.
     * {@code (module:ui)}); null for all messages this entity receives.
     */
    public Address getDestinationFilter() {
        return destinationFilter;
    }

    /** Whether to start with the registry; null for the registry's default. */
    public Boolean getAutoStartup() {
        return autoStartup;
    }

    /** This listener's error handler, or null for the registry's default. */
    public MbusListenerErrorHandler getErrorHandler() {
        return errorHandler;
    }

    /**
     * Where a return value goes instead of the {@code .return} reply: {@code "other.command"} to
     * the sender, or {@code "(app:ui) other.command"} to another destination; null for the reply.
     */
    public String getSendTo() {
        return sendTo;
    }

    @Override
    public String toString() {
        return "MbusListenerEndpoint[" + id + " " + commands + " -> " + handlerMethod.getShortLogMessage() + "]";
    }

    /** Builds an endpoint. */
    public static final class Builder {
        private final String id;
        private List<String> commands = List.of();
        private InvocableHandlerMethod handlerMethod;
        private Address destinationFilter;
        private Boolean autoStartup;
        private MbusListenerErrorHandler errorHandler;
        private String sendTo;

        private Builder(String id) {
            this.id = id;
        }

        public Builder commands(List<String> commands) {
            this.commands = commands;
            return this;
        }

        public Builder handlerMethod(InvocableHandlerMethod handlerMethod) {
            this.handlerMethod = handlerMethod;
            return this;
        }

        public Builder destinationFilter(Address destinationFilter) {
            this.destinationFilter = destinationFilter;
            return this;
        }

        public Builder autoStartup(Boolean autoStartup) {
            this.autoStartup = autoStartup;
            return this;
        }

        public Builder errorHandler(MbusListenerErrorHandler errorHandler) {
            this.errorHandler = errorHandler;
            return this;
        }

        public Builder sendTo(String sendTo) {
            this.sendTo = sendTo;
            return this;
        }

        public MbusListenerEndpoint build() {
            return new MbusListenerEndpoint(this);
        }
    }
}
