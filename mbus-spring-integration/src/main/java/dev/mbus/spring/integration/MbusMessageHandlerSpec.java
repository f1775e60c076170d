package dev.mbus.spring.integration;

import dev.mbus.core.message.Address;
import dev.mbus.spring.core.MbusOperations;
import java.util.function.Function;
import org.springframework.expression.Expression;
import org.springframework.integration.dsl.MessageHandlerSpec;
import org.springframework.integration.expression.FunctionExpression;
import org.springframework.integration.expression.ValueExpression;
import org.springframework.messaging.Message;

/**
 * Configures an {@link MbusMessageHandler}; made by {@link Mbus#outboundAdapter}. Each of
 * destination, command and reliability is a fixed value, a SpEL {@link Expression} or a
 * function of the message; what is not set comes from the message's headers.
 */
public class MbusMessageHandlerSpec extends MessageHandlerSpec<MbusMessageHandlerSpec, MbusMessageHandler> {

    protected MbusMessageHandlerSpec(MbusOperations template) {
        this.target = new MbusMessageHandler(template);
    }

    /** Always this destination, such as {@code "(app:ui)"}. */
    public MbusMessageHandlerSpec destination(String address) {
        Address parsed = Address.parse(address);
        return destination(new ValueExpression<>(parsed));
    }

    /** @see MbusMessageHandler#setDestinationExpression */
    public MbusMessageHandlerSpec destination(Expression expression) {
        this.target.setDestinationExpression(expression);
        return this;
    }

    /** The destination from a SpEL expression on the message, such as {@code "headers.target"}. */
    public MbusMessageHandlerSpec destinationExpression(String spel) {
        return destination(PARSER.parseExpression(spel));
    }

    /** The destination, an {@link Address} or its text, from each message. */
    public <P> MbusMessageHandlerSpec destination(Function<Message<P>, ?> function) {
        return destination(new FunctionExpression<>(function));
    }

    /** Always this command name. */
    public MbusMessageHandlerSpec command(String name) {
        return command(new ValueExpression<>(name));
    }

    /** @see MbusMessageHandler#setCommandExpression */
    public MbusMessageHandlerSpec command(Expression expression) {
        this.target.setCommandExpression(expression);
        return this;
    }

    /** The command name from a SpEL expression on the message. */
    public MbusMessageHandlerSpec commandExpression(String spel) {
        return command(PARSER.parseExpression(spel));
    }

    /** The command name from each message. */
    public <P> MbusMessageHandlerSpec command(Function<Message<P>, String> function) {
        return command(new FunctionExpression<>(function));
    }

    /** Always reliably, or never. */
    public MbusMessageHandlerSpec reliable(boolean reliable) {
        return reliable(new ValueExpression<>(reliable));
    }

    /** @see MbusMessageHandler#setReliableExpression */
    public MbusMessageHandlerSpec reliable(Expression expression) {
        this.target.setReliableExpression(expression);
        return this;
    }

    /** Reliably when a SpEL expression on the message is true. */
    public MbusMessageHandlerSpec reliableExpression(String spel) {
        return reliable(PARSER.parseExpression(spel));
    }

    /** Whether to send each message reliably. */
    public <P> MbusMessageHandlerSpec reliable(Function<Message<P>, Boolean> function) {
        return reliable(new FunctionExpression<>(function));
    }

    /** False (the default): a reliable send is acknowledged before the flow goes on; true: the outcome comes later. */
    public MbusMessageHandlerSpec async(boolean async) {
        this.target.setAsync(async);
        return this;
    }
}
