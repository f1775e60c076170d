package dev.mbus.spring.support;

import dev.mbus.core.message.MbusValue;
import java.lang.reflect.Executable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.messaging.support.MessageHeaderAccessor;

/**
 * Binds command arguments to listener parameters.
 *
 * <ul>
 * <li>A parameter without {@code @Header}, {@code @Headers} or {@code @Payload}, and not of a
 * message, headers or {@link MbusContextArgumentResolver context} type, takes the command
 * argument at its position among such parameters: in {@code volume(int level, String unit)}
 * {@code level} is argument 0 and {@code unit} argument 1.</li>
 * <li>A {@code @Payload} parameter takes the whole argument list: {@code List<MbusValue>},
 * {@code List<Integer>}, a record built from the arguments, or the one argument of a
 * one-argument command.</li>
 * </ul>
 *
 * Conversion is the {@link MbusValueConverter}'s; a failure names the argument position and the
 * expected type. A missing argument fails too, except for {@link java.util.Optional} parameters.
 */
public class MbusArgumentsResolver implements HandlerMethodArgumentResolver {

    private final MbusValueConverter converter;
    private final Map<Executable, int[]> positions = new ConcurrentHashMap<>();

    public MbusArgumentsResolver(MbusValueConverter converter) {
        this.converter = Objects.requireNonNull(converter, "converter");
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.hasParameterAnnotation(Payload.class) || isPositional(parameter);
    }

    /** Whether the parameter takes a command argument by position. */
    public static boolean isPositional(MethodParameter parameter) {
        if (parameter.hasParameterAnnotation(Header.class) || parameter.hasParameterAnnotation(Headers.class)
                || parameter.hasParameterAnnotation(Payload.class)) {
            return false;
        }
        Class<?> type = parameter.getParameterType();
        return !Message.class.isAssignableFrom(type) && !MessageHeaders.class.isAssignableFrom(type)
                && !MessageHeaderAccessor.class.isAssignableFrom(type) && !MbusContextArgumentResolver.isContextType(type);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object resolveArgument(MethodParameter parameter, Message<?> message) {
        List<MbusValue> arguments = (List<MbusValue>) message.getPayload();
        String command = String.valueOf(message.getHeaders().get(MbusHeaders.COMMAND));
        ResolvableType type = ResolvableType.forMethodParameter(parameter);
        if (parameter.hasParameterAnnotation(Payload.class)) {
            return converter.fromArguments(arguments, type, command);
        }
        int position = positions.computeIfAbsent(parameter.getExecutable(), MbusArgumentsResolver::positionsOf)
                [parameter.getParameterIndex()];
        if (position >= arguments.size()) {
            if (parameter.getParameterType() == java.util.Optional.class) {
                return java.util.Optional.empty();
            }
            throw new MbusConversionException("argument " + position + " of " + command + " is missing: expected "
                    + MbusValueConverter.typeName(type) + ", the command has " + arguments.size() + " argument"
                    + (arguments.size() == 1 ? "" : "s"));
        }
        return converter.fromMbus(arguments.get(position), type, "argument " + position + " of " + command);
    }

    private static int[] positionsOf(Executable method) {
        int[] result = new int[method.getParameterCount()];
        int next = 0;
        for (int i = 0; i < result.length; i++) {
            result[i] = isPositional(MethodParameter.forExecutable(method, i)) ? next++ : -1;
        }
        return result;
    }
}
