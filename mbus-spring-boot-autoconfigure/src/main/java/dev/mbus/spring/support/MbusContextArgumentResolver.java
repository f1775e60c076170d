package dev.mbus.spring.support;

import dev.mbus.core.engine.IncomingCommand;
import dev.mbus.core.message.Command;
import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

/**
 * Binds parameters of type {@link IncomingCommand}, {@link Command} and
 * {@link dev.mbus.core.message.Message} (the whole Mbus message: header and every command).
 */
public class MbusContextArgumentResolver implements HandlerMethodArgumentResolver {

    /** Whether a parameter of this type is bound to the received command rather than an argument. */
    public static boolean isContextType(Class<?> type) {
        return type == IncomingCommand.class || type == Command.class || type == dev.mbus.core.message.Message.class;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return isContextType(parameter.getParameterType());
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, Message<?> message) {
        IncomingCommand incoming = message.getHeaders().get(MbusHeaders.INCOMING_COMMAND, IncomingCommand.class);
        if (incoming == null) {
            throw new IllegalStateException("Not an Mbus message: no " + MbusHeaders.INCOMING_COMMAND + " header");
        }
        Class<?> type = parameter.getParameterType();
        if (type == IncomingCommand.class) {
            return incoming;
        }
        return type == Command.class ? incoming.command() : incoming.message();
    }
}
