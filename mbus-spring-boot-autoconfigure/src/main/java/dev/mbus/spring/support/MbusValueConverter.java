package dev.mbus.spring.support;

import dev.mbus.core.message.FloatValue;
import dev.mbus.core.message.IntegerValue;
import dev.mbus.core.message.ListValue;
import dev.mbus.core.message.MbusValue;
import dev.mbus.core.message.StringValue;
import dev.mbus.core.message.SymbolValue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.util.ClassUtils;

/**
 * Converts between Java values and Mbus values (protocol §3) for the template, listener
 * arguments and listener replies, through a {@link ConversionService} that holds the Mbus
 * converters ({@link MbusConversionService}).
 *
 * <h2>Wire forms</h2>
 * Integral numbers are integers, {@code float}/{@code double} floats, text strings, enums
 * symbols, booleans 1 or 0, {@code byte[]} data; records (components in order), collections and
 * arrays are lists. Types that convert from text ({@code UUID}, {@code Instant},
 * {@code Duration}, {@code Address}, your {@code Converter<String, T>}) are strings. Maps and
 * JavaBeans are one string holding their JSON, written and read by the application's Jackson 3
 * {@code JsonMapper}.
 *
 * <h2>Strictness</h2>
 * A value converts only from its own kind: an integer to numbers (range checked) and
 * {@code boolean} (non-zero is true), a float to floating types, a string or symbol to text,
 * enums (ignoring case) and what converts from text; {@code true}/{@code false} to
 * {@code boolean}. A failure is an {@link MbusConversionException} that says where and what.
 *
 * <p>Add conversions by declaring {@code Converter} beans (for Java to Mbus, a
 * {@code Converter<YourType, MbusValue>}); {@link #create} picks them up.
 */
public class MbusValueConverter {

    private static final TypeDescriptor MBUS = TypeDescriptor.valueOf(MbusValue.class);

    private final ConversionService conversionService;

    /** Mbus conversions without JSON and without application converters. */
    public MbusValueConverter() {
        this(new MbusConversionService());
    }

    /** Conversions by {@code conversionService}, which must hold the Mbus converters ({@link MbusConversionService}). */
    public MbusValueConverter(ConversionService conversionService) {
        this.conversionService = Objects.requireNonNull(conversionService, "conversionService");
    }

    /**
     * The converter of a context: the Mbus converters, the context's {@code Converter},
     * {@code GenericConverter} and {@code Formatter} beans, and JSON through its Jackson
     * {@code JsonMapper} bean (else Jackson's shared one) when Jackson 3 is on the class path.
     */
    public static MbusValueConverter create(ListableBeanFactory beanFactory, ClassLoader classLoader) {
        MbusJsonForm json = ClassUtils.isPresent(JacksonJsonForm.MAPPER_CLASS, classLoader)
                ? JacksonJsonForm.of(beanFactory) : null;
        MbusConversionService service = new MbusConversionService(json);
        ApplicationConversionService.addBeans(service, beanFactory);
        return new MbusValueConverter(service);
    }

    public ConversionService getConversionService() {
        return conversionService;
    }

    // ------------------------------------------------------------------ Java to Mbus

    /**
     * The Mbus form of {@code value}.
     *
     * @throws MbusConversionException for {@code null} and for types with no Mbus form
     */
    public MbusValue toMbus(Object value) {
        if (value == null) {
            throw new MbusConversionException("null has no Mbus form");
        }
        try {
            return (MbusValue) conversionService.convert(value, TypeDescriptor.forObject(value), MBUS);
        } catch (RuntimeException e) {
            throw MbusConversionException.of(e);
        }
    }

    /** Each value converted by {@link #toMbus(Object)}: the argument list of a command. */
    public List<MbusValue> toArguments(Object... values) {
        List<MbusValue> arguments = new ArrayList<>(values.length);
        for (int i = 0; i < values.length; i++) {
            try {
                arguments.add(toMbus(values[i]));
            } catch (MbusConversionException e) {
                throw e.at("argument " + i);
            }
        }
        return arguments;
    }

    /**
     * The arguments of a reply made from a listener's return value: the elements of a
     * collection or array (except {@code byte[]}), the components of a record, or else the value
     * itself as the one argument.
     *
     * @throws MbusConversionException for {@code null} and for types with no Mbus form
     */
    public List<MbusValue> toReplyArguments(Object result) {
        MbusValue value = toMbus(result);
        boolean spread = result instanceof Collection<?> || (result.getClass().isArray() && !(result instanceof byte[]))
                || result.getClass().isRecord();
        // A record the application converts itself (to a string, say) stays one argument.
        return spread && value instanceof ListValue list ? list.elements() : List.of(value);
    }

    // ------------------------------------------------------------------ Mbus to Java

    /** Converts {@code value} to {@code type}; {@code where} names it in an error ("argument 0 of x"). */
    @SuppressWarnings("unchecked")
    public <T> T fromMbus(MbusValue value, Class<T> type, String where) {
        return (T) fromMbus(value, TypeDescriptor.valueOf(type), where);
    }

    /**
     * Converts {@code value} to {@code type}, generics included ({@code List<Integer>}).
     *
     * @param where names the value in an error message, e.g. {@code argument 0 of tool.rat.volume}
     * @throws MbusConversionException when the value does not fit the type
     */
    public Object fromMbus(MbusValue value, TypeDescriptor type, String where) {
        try {
            return conversionService.convert(value, TypeDescriptor.forObject(value), type);
        } catch (RuntimeException e) {
            MbusConversionException failure = MbusConversionException.within(e);
            if (failure == null) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                failure = new MbusConversionException("expected " + typeName(type) + ", found " + describe(value) + ", "
                        + cause.getMessage(), e);
            }
            throw failure.at(where);
        }
    }

    /**
     * Converts a whole argument list to {@code type}: a collection, array or record takes the
     * arguments as its elements or components; an {@code MbusValue} list type gets a
     * {@link ListValue}; any other type takes the single argument of a one-argument list.
     */
    public Object fromArguments(List<MbusValue> arguments, TypeDescriptor type, String where) {
        Class<?> raw = type.getObjectType();
        if (raw == ListValue.class || raw == MbusValue.class || raw.isRecord() || Collection.class.isAssignableFrom(raw)
                || (raw.isArray() && raw != byte[].class)) {
            return fromMbus(new ListValue(arguments), type, where);
        }
        if (arguments.size() == 1) {
            return fromMbus(arguments.get(0), type, "argument 0 of " + where);
        }
        throw new MbusConversionException(where + ": expected one argument for " + typeName(type) + ", found "
                + arguments.size());
    }

    /** Whether some Mbus value converts to {@code type}: what a listener parameter is checked with at start-up. */
    public boolean canConvert(TypeDescriptor type) {
        return conversionService.canConvert(MBUS, type);
    }

    /** A readable type name: {@code int}, {@code List<Integer>}, {@code Volume}. */
    static String typeName(TypeDescriptor type) {
        return typeName(type.getResolvableType());
    }

    private static String typeName(org.springframework.core.ResolvableType type) {
        Class<?> raw = type.resolve();
        if (raw == null) {
            return type.toString();
        }
        if (!type.hasGenerics()) {
            return raw.isArray() ? raw.getComponentType().getSimpleName() + "[]" : raw.getSimpleName();
        }
        StringBuilder name = new StringBuilder(raw.getSimpleName()).append('<');
        org.springframework.core.ResolvableType[] generics = type.getGenerics();
        for (int i = 0; i < generics.length; i++) {
            name.append(i == 0 ? "" : ", ").append(typeName(generics[i]));
        }
        return name.append('>').toString();
    }

    /** A value and its Mbus type, shortened: {@code "loud" (string)}. */
    public static String describe(MbusValue value) {
        String text = value.toString();
        if (text.length() > 60) {
            text = text.substring(0, 57) + "...";
        }
        return text + " (" + kind(value) + ")";
    }

    private static String kind(MbusValue value) {
        if (value instanceof IntegerValue) {
            return "integer";
        }
        if (value instanceof FloatValue) {
            return "float";
        }
        if (value instanceof StringValue) {
            return "string";
        }
        if (value instanceof SymbolValue) {
            return "symbol";
        }
        if (value instanceof ListValue) {
            return "list";
        }
        return value.getClass().getSimpleName().replace("Value", "").toLowerCase(Locale.ROOT);
    }
}
