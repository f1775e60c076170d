package dev.mbus.spring.support;

import dev.mbus.core.message.MbusValue;
import java.lang.annotation.Annotation;
import java.lang.reflect.Executable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.MethodParameter;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.handler.annotation.support.MethodArgumentNotValidException;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.validation.BeanPropertyBindingResult;
import org.springframework.validation.SmartValidator;
import org.springframework.validation.Validator;
import org.springframework.validation.annotation.ValidationAnnotationUtils;

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
 * expected type. A missing argument fails too, except for {@link Optional} parameters. A
 * parameter annotated {@code @Valid} (or {@code @Validated}) is validated with the validator
 * given, and fails with a {@link MethodArgumentNotValidException}.
 */
public class MbusArgumentsResolver implements HandlerMethodArgumentResolver {

    private final MbusValueConverter converter;
    private final Validator validator;
    private final Map<Executable, int[]> positions = new ConcurrentHashMap<>();

    public MbusArgumentsResolver(MbusValueConverter converter) {
        this(converter, null);
    }

    /** @param validator validates {@code @Valid} parameters; null when the context has none */
    public MbusArgumentsResolver(MbusValueConverter converter, Validator validator) {
        this.converter = Objects.requireNonNull(converter, "converter");
        this.validator = validator;
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

    /**
     * How many arguments the method takes by position, or -1 when a parameter gets all of them
     * ({@code @Payload}, a message or the received command): then none is surplus.
     */
    public static int positionalCount(Executable method) {
        int count = 0;
        for (int i = 0; i < method.getParameterCount(); i++) {
            MethodParameter parameter = MethodParameter.forExecutable(method, i);
            if (isPositional(parameter)) {
                count++;
            } else if (!parameter.hasParameterAnnotation(Header.class) && !parameter.hasParameterAnnotation(Headers.class)
                    && !MessageHeaders.class.isAssignableFrom(parameter.getParameterType())
                    && !MessageHeaderAccessor.class.isAssignableFrom(parameter.getParameterType())) {
                return -1;
            }
        }
        return count;
    }

    /**
     * Checks, before any command comes, that this resolver can bind the parameter.
     *
     * @return null when it can, else what is wrong ("no conversion from an Mbus value to Runnable")
     */
    public String check(MethodParameter parameter) {
        if (!supportsParameter(parameter)) {
            return null;
        }
        TypeDescriptor type = new TypeDescriptor(parameter);
        Class<?> raw = type.getObjectType();
        if (!converter.canConvert(type)) {
            return "no conversion from an Mbus value to " + MbusValueConverter.typeName(type)
                    + (MbusValueReader.isJsonType(raw)
                            ? " (maps and JavaBeans travel as JSON: add Jackson 3, e.g. spring-boot-starter-jackson)"
                            : "; declare a Converter<String, " + raw.getSimpleName() + "> bean");
        }
        if (validator == null && validationHints(parameter) != null) {
            return "@Valid needs a Validator bean, and the context has none (add spring-boot-starter-validation)";
        }
        return null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object resolveArgument(MethodParameter parameter, Message<?> message) {
        List<MbusValue> arguments = (List<MbusValue>) message.getPayload();
        String command = String.valueOf(message.getHeaders().get(MbusHeaders.COMMAND));
        TypeDescriptor type = new TypeDescriptor(parameter);
        Object value;
        if (parameter.hasParameterAnnotation(Payload.class)) {
            value = converter.fromArguments(arguments, type, command);
        } else {
            int position = positions.computeIfAbsent(parameter.getExecutable(), MbusArgumentsResolver::positionsOf)
                    [parameter.getParameterIndex()];
            if (position >= arguments.size()) {
                if (parameter.getParameterType() == Optional.class) {
                    return Optional.empty();
                }
                throw new MbusConversionException("argument " + position + " of " + command + " is missing: expected "
                        + MbusValueConverter.typeName(type) + ", the command has " + arguments.size() + " argument"
                        + (arguments.size() == 1 ? "" : "s"));
            }
            value = converter.fromMbus(arguments.get(position), type, "argument " + position + " of " + command);
        }
        validate(parameter, value, message);
        return value;
    }

    private void validate(MethodParameter parameter, Object value, Message<?> message) {
        Object[] hints = validator == null || value == null ? null : validationHints(parameter);
        if (hints == null) {
            return;
        }
        BeanPropertyBindingResult errors = new BeanPropertyBindingResult(value,
                parameter.getParameterName() != null ? parameter.getParameterName() : "argument" + parameter.getParameterIndex());
        if (hints.length > 0 && validator instanceof SmartValidator smart) {
            smart.validate(value, errors, hints);
        } else {
            validator.validate(value, errors);
        }
        if (errors.hasErrors()) {
            throw new MethodArgumentNotValidException(message, parameter, errors);
        }
    }

    /** The validation groups of a {@code @Valid}/{@code @Validated} parameter (none for {@code @Valid}), or null. */
    private static Object[] validationHints(MethodParameter parameter) {
        for (Annotation annotation : parameter.getParameterAnnotations()) {
            Object[] hints = ValidationAnnotationUtils.determineValidationHints(annotation);
            if (hints != null) {
                return hints;
            }
        }
        return null;
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
