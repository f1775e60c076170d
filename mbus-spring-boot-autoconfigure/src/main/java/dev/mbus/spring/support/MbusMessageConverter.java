package dev.mbus.spring.support;

import dev.mbus.core.message.MbusValue;
import java.util.List;
import java.util.Objects;
import org.springframework.core.MethodParameter;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.SmartMessageConverter;
import org.springframework.messaging.support.MessageBuilder;

/**
 * A spring-messaging converter between an Mbus argument list ({@code List<MbusValue>}, the
 * payload of listener messages) and Java types, for {@code Message<T>} parameters and anything
 * else in spring-messaging that converts payloads.
 */
public class MbusMessageConverter implements SmartMessageConverter {

    private final MbusValueConverter converter;

    public MbusMessageConverter(MbusValueConverter converter) {
        this.converter = Objects.requireNonNull(converter, "converter");
    }

    @Override
    public Object fromMessage(Message<?> message, Class<?> targetClass) {
        return fromMessage(message, targetClass, null);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object fromMessage(Message<?> message, Class<?> targetClass, Object conversionHint) {
        if (!(message.getPayload() instanceof List<?> payload) || !payload.stream().allMatch(MbusValue.class::isInstance)) {
            return null;
        }
        TypeDescriptor type = conversionHint instanceof MethodParameter parameter
                ? new TypeDescriptor(parameter.nested()) : TypeDescriptor.valueOf(targetClass);
        if (type.getType() != targetClass) {
            type = TypeDescriptor.valueOf(targetClass);
        }
        Object command = message.getHeaders().get(MbusHeaders.COMMAND);
        return converter.fromArguments((List<MbusValue>) payload, type, command == null ? "payload" : command.toString());
    }

    @Override
    public Message<?> toMessage(Object payload, MessageHeaders headers) {
        return toMessage(payload, headers, null);
    }

    @Override
    public Message<?> toMessage(Object payload, MessageHeaders headers, Object conversionHint) {
        List<MbusValue> arguments = converter.toReplyArguments(payload);
        return headers == null ? MessageBuilder.withPayload(arguments).build()
                : MessageBuilder.createMessage(arguments, headers);
    }
}
