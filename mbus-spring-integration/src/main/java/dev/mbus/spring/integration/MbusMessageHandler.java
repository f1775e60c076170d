package dev.mbus.spring.integration;

import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.MbusValue;
import dev.mbus.spring.core.MbusOperations;
import dev.mbus.spring.support.MbusHeaders;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.springframework.expression.EvaluationContext;
import org.springframework.expression.Expression;
import org.springframework.integration.expression.ExpressionUtils;
import org.springframework.integration.expression.FunctionExpression;
import org.springframework.integration.handler.AbstractReplyProducingMessageHandler;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHandlingException;
import org.springframework.util.StringUtils;

/**
 * Sends each message as an Mbus command, through an {@link MbusOperations} (the template).
 *
 * <p>The payload: a {@link Command}, sent as it is; a {@code List<MbusValue>}, the arguments as
 * they are; an {@code Object[]} or a {@code List} of plain values, or one plain value, converted
 * as {@link MbusOperations#convertAndSend} converts them. Where it goes and how come from
 * expressions evaluated against the message, by default its headers: the destination from
 * {@link MbusHeaders#DESTINATION} (an {@link Address} or its text; without it the template's
 * default destination), the command name from {@link MbusHeaders#COMMAND}, and reliably when
 * {@link MbusHeaders#RELIABLE} is true.
 *
 * <p>A reliable send is, by default, acknowledged before the flow goes on: a failure (unknown or
 * ambiguous destination, no acknowledgement, engine closed) is thrown as a
 * {@link MessageHandlingException} holding the message, and so reaches the error channel of
 * the flow's producer. With {@link #setAsync setAsync(true)} the flow goes on at once; the
 * outcome comes later: the message to the output channel (or reply channel) once acknowledged,
 * a failure to the error channel (the message's {@code errorChannel} header, else the
 * {@code errorChannel} bean).
 *
 * <p>The handler produces a reply, the message itself after it was sent, only when there is an
 * output channel or a reply channel to take it; as the last element of a flow it is one-way.
 */
public class MbusMessageHandler extends AbstractReplyProducingMessageHandler {

    private final MbusOperations template;
    private Expression destinationExpression = new FunctionExpression<Message<?>>(
            message -> message.getHeaders().get(MbusHeaders.DESTINATION));
    private Expression commandExpression = new FunctionExpression<Message<?>>(
            message -> message.getHeaders().get(MbusHeaders.COMMAND));
    private Expression reliableExpression = new FunctionExpression<Message<?>>(
            message -> message.getHeaders().get(MbusHeaders.RELIABLE));
    private EvaluationContext evaluationContext;

    public MbusMessageHandler(MbusOperations template) {
        this.template = Objects.requireNonNull(template, "template");
    }

    /** Evaluates to the destination, an {@link Address} or its text; null for the template's default destination. */
    public void setDestinationExpression(Expression destinationExpression) {
        this.destinationExpression = Objects.requireNonNull(destinationExpression, "destinationExpression");
    }

    /** Evaluates to the command name; ignored for a {@link Command} payload. */
    public void setCommandExpression(Expression commandExpression) {
        this.commandExpression = Objects.requireNonNull(commandExpression, "commandExpression");
    }

    /** Evaluates to whether to send reliably; null counts as false. */
    public void setReliableExpression(Expression reliableExpression) {
        this.reliableExpression = Objects.requireNonNull(reliableExpression, "reliableExpression");
    }

    @Override
    public String getComponentType() {
        return "mbus:outbound-channel-adapter";
    }

    @Override
    protected void doInit() {
        super.doInit();
        evaluationContext = ExpressionUtils.createStandardEvaluationContext(getBeanFactory());
    }

    @Override
    protected Object handleRequestMessage(Message<?> message) {
        CompletableFuture<Void> sent;
        try {
            sent = send(message, destination(message), reliable(message));
        } catch (RuntimeException e) {
            throw new MessageHandlingException(message, "Could not send to Mbus: " + e.getMessage(), e);
        }
        boolean replies = getOutputChannel() != null || message.getHeaders().getReplyChannel() != null;
        if (!isAsync()) {
            awaitAcknowledgement(message, sent);
            return replies ? message : null;
        }
        CompletableFuture<Message<?>> outcome = sent.thenApply(acknowledged -> message);
        if (replies) {
            return outcome; // the base class sends it on when it completes, a failure to the error channel
        }
        outcome.whenComplete((acknowledged, error) -> {
            if (error != null) {
                sendErrorMessage(message, unwrap(error));
            }
        });
        return null;
    }

    private static void awaitAcknowledgement(Message<?> message, CompletableFuture<Void> sent) {
        try {
            // Bounded by the engine: a reliable send fails once its retransmissions are used up.
            sent.get();
        } catch (ExecutionException e) {
            Throwable cause = unwrap(e);
            throw new MessageHandlingException(message, "Mbus reliable send failed: " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MessageHandlingException(message, "Interrupted while waiting for the Mbus acknowledgement", e);
        }
    }

    private static Throwable unwrap(Throwable error) {
        return (error instanceof ExecutionException || error instanceof CompletionException) && error.getCause() != null
                ? error.getCause() : error;
    }

    private CompletableFuture<Void> send(Message<?> message, Address destination, boolean reliable) {
        Object payload = message.getPayload();
        if (payload instanceof Command command) {
            return send(destination, reliable, command);
        }
        String name = commandName(message);
        if (payload instanceof List<?> list && list.stream().allMatch(MbusValue.class::isInstance)) {
            @SuppressWarnings("unchecked")
            List<MbusValue> arguments = (List<MbusValue>) list;
            return send(destination, reliable, new Command(name, arguments));
        }
        Object[] arguments = payload instanceof Object[] array ? array
                : payload instanceof List<?> list ? list.toArray() : new Object[] {payload};
        if (!reliable) {
            if (destination == null) {
                template.convertAndSendDefault(name, arguments);
            } else {
                template.convertAndSend(destination, name, arguments);
            }
            return CompletableFuture.completedFuture(null);
        }
        return destination == null ? template.convertAndSendReliableDefault(name, arguments)
                : template.convertAndSendReliable(destination, name, arguments);
    }

    private CompletableFuture<Void> send(Address destination, boolean reliable, Command command) {
        if (!reliable) {
            if (destination == null) {
                template.send(command);
            } else {
                template.send(destination, command);
            }
            return CompletableFuture.completedFuture(null);
        }
        return destination == null ? template.sendReliable(command) : template.sendReliable(destination, command);
    }

    private Address destination(Message<?> message) {
        Object value = destinationExpression.getValue(evaluationContext, message);
        if (value == null || value instanceof Address) {
            return (Address) value;
        }
        if (value instanceof CharSequence text) {
            return StringUtils.hasText(text) ? Address.parse(text.toString()) : null;
        }
        throw new IllegalArgumentException("the destination expression gave a " + value.getClass().getName()
                + ", neither an Address nor a String");
    }

    private String commandName(Message<?> message) {
        Object value = commandExpression.getValue(evaluationContext, message);
        if (value == null || !StringUtils.hasText(value.toString())) {
            throw new IllegalArgumentException("no command name: the payload is not a Command and the command"
                    + " expression (by default the header " + MbusHeaders.COMMAND + ") gave none");
        }
        return value.toString();
    }

    private boolean reliable(Message<?> message) {
        Object value = reliableExpression.getValue(evaluationContext, message);
        return value instanceof Boolean flag ? flag : value != null && Boolean.parseBoolean(value.toString());
    }

    @Override
    public String toString() {
        return "MbusMessageHandler[" + getComponentName() + "]";
    }
}
