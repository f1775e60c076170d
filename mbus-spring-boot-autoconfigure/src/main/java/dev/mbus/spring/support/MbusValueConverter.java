package dev.mbus.spring.support;

import dev.mbus.core.message.Address;
import dev.mbus.core.message.DataValue;
import dev.mbus.core.message.FloatValue;
import dev.mbus.core.message.IntegerValue;
import dev.mbus.core.message.ListValue;
import dev.mbus.core.message.MbusValue;
import dev.mbus.core.message.StringValue;
import dev.mbus.core.message.SymbolValue;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Converts between Java values and the six Mbus value types (protocol §3).
 *
 * <h2>Java to Mbus</h2>
 * Integral numbers become integers, {@code float}/{@code double} floats, text strings,
 * {@code byte[]} data, enums symbols, booleans 1 or 0, and collections, arrays and
 * <b>records</b> lists (a record's components in declaration order); {@link Address} becomes
 * its written form as a string; {@link Optional} is unwrapped. An {@link MbusValue} is kept.
 *
 * <h2>Mbus to Java</h2>
 * Strict: a value converts only to a type that can hold it without guessing. Integers to
 * {@code long}, {@code int}, {@code short}, {@code byte} (range checked), {@code double} and
 * {@code float}; floats to {@code double} and {@code float}; integers to {@code boolean}
 * (non-zero is true) and the symbols or strings {@code true}/{@code false}; strings and
 * symbols to {@code String}, enums (by name, then ignoring case) and {@link Address}; data to
 * {@code byte[]}; lists to {@code List}, {@code Set}, {@code Collection}, arrays (elements
 * converted by the declared element type) and records (components by position); any value to
 * its own Mbus type, or to {@code Object} as its plain Java form ({@link MbusValue#toJava()}).
 * Anything else fails with an {@link MbusConversionException} that says where and what.
 *
 * <p>Thread-safe; subclass to add conversions.
 */
public class MbusValueConverter {

    private final Map<Class<?>, Constructor<?>> recordConstructors = new ConcurrentHashMap<>();

    // ------------------------------------------------------------------ Java to Mbus

    /**
     * The Mbus form of {@code value}.
     *
     * @throws MbusConversionException for {@code null} and for types with no Mbus form (maps, ...)
     */
    public MbusValue toMbus(Object value) {
        if (value instanceof MbusValue mbus) {
            return mbus;
        }
        if (value instanceof Optional<?> optional) {
            return toMbus(optional.orElse(null));
        }
        if (value instanceof Address address) {
            return new StringValue(address.toString());
        }
        if (value instanceof Character c) {
            return new StringValue(c.toString());
        }
        if (value != null && value.getClass().isRecord()) {
            RecordComponent[] components = value.getClass().getRecordComponents();
            List<MbusValue> elements = new ArrayList<>(components.length);
            for (RecordComponent component : components) {
                ComponentReader accessor = new ComponentReader(component);
                elements.add(toMbus(accessor.read(value)));
            }
            return new ListValue(elements);
        }
        if (value instanceof Collection<?> collection) {
            List<MbusValue> elements = new ArrayList<>(collection.size());
            for (Object element : collection) {
                elements.add(toMbus(element));
            }
            return new ListValue(elements);
        }
        if (value != null && value.getClass().isArray() && !(value instanceof byte[])) {
            int length = Array.getLength(value);
            List<MbusValue> elements = new ArrayList<>(length);
            for (int i = 0; i < length; i++) {
                elements.add(toMbus(Array.get(value, i)));
            }
            return new ListValue(elements);
        }
        try {
            return MbusValue.of(value);
        } catch (IllegalArgumentException e) {
            throw new MbusConversionException(e.getMessage(), e);
        }
    }

    /** Each value converted by {@link #toMbus(Object)}: the argument list of a command. */
    public List<MbusValue> toArguments(Object... values) {
        List<MbusValue> arguments = new ArrayList<>(values.length);
        for (int i = 0; i < values.length; i++) {
            try {
                arguments.add(toMbus(values[i]));
            } catch (MbusConversionException e) {
                throw new MbusConversionException("argument " + i + ": " + e.getMessage(), e);
            }
        }
        return arguments;
    }

    /**
     * The arguments of a reply made from a listener's return value: the elements of a
     * collection or array (except {@code byte[]}), the components of a record, or else the value
     * itself as the one argument.
     */
    public List<MbusValue> toReplyArguments(Object result) {
        if (result instanceof Collection<?> || (result != null && result.getClass().isArray() && !(result instanceof byte[]))
                || (result != null && result.getClass().isRecord())) {
            return ((ListValue) toMbus(result)).elements();
        }
        if (result instanceof ListValue list) {
            return List.of(list);
        }
        return List.of(toMbus(result));
    }

    // ------------------------------------------------------------------ Mbus to Java

    /** Converts {@code value} to {@code type}; {@code where} names it in an error ("argument 0 of x"). */
    @SuppressWarnings("unchecked")
    public <T> T fromMbus(MbusValue value, Class<T> type, String where) {
        return (T) fromMbus(value, ResolvableType.forClass(type), where);
    }

    /**
     * Converts {@code value} to {@code type}, generics included ({@code List<Integer>}).
     *
     * @param where names the value in an error message, e.g. {@code argument 0 of tool.rat.volume}
     * @throws MbusConversionException when the value does not fit the type
     */
    public Object fromMbus(MbusValue value, ResolvableType type, String where) {
        Class<?> raw = type.resolve(Object.class);
        if (raw == Optional.class) {
            return Optional.ofNullable(fromMbus(value, type.getGeneric(0), where));
        }
        Class<?> target = ClassUtils.resolvePrimitiveIfNecessary(raw);
        if (MbusValue.class.isAssignableFrom(target)) {
            if (target.isInstance(value)) {
                return value;
            }
            throw mismatch(where, type, value);
        }
        if (target == Object.class) {
            return value.toJava();
        }
        if (value instanceof IntegerValue integer) {
            Object number = fromInteger(integer.value(), target, where, type, value);
            if (number != null) {
                return number;
            }
        } else if (value instanceof FloatValue real) {
            if (target == Double.class) {
                return real.value();
            }
            if (target == Float.class) {
                return (float) real.value();
            }
            if (target == Number.class) {
                return real.value();
            }
        } else if (value instanceof StringValue || value instanceof SymbolValue) {
            Object text = fromText(value.asString(), target, where, type, value);
            if (text != null) {
                return text;
            }
        } else if (value instanceof DataValue data) {
            if (target == byte[].class) {
                return data.bytes();
            }
        } else if (value instanceof ListValue list) {
            Object container = fromList(list.elements(), type, target, where);
            if (container != null) {
                return container;
            }
        }
        throw mismatch(where, type, value);
    }

    /**
     * Converts a whole argument list to {@code type}: a collection, array or record takes the
     * arguments as its elements or components; an {@code MbusValue} list type gets a
     * {@link ListValue}; any other type takes the single argument of a one-argument list.
     */
    public Object fromArguments(List<MbusValue> arguments, ResolvableType type, String where) {
        Class<?> raw = type.resolve(Object.class);
        if (raw == ListValue.class || raw == MbusValue.class) {
            return new ListValue(arguments);
        }
        if (raw.isAssignableFrom(List.class) || Collection.class.isAssignableFrom(raw) || raw.isArray() && raw != byte[].class
                || raw.isRecord()) {
            Object result = fromList(arguments, type, raw, where);
            if (result != null) {
                return result;
            }
        }
        if (arguments.size() == 1) {
            return fromMbus(arguments.get(0), type, "argument 0 of " + where);
        }
        throw new MbusConversionException(where + ": expected one argument for " + typeName(type) + ", found "
                + arguments.size());
    }

    private Object fromInteger(long v, Class<?> target, String where, ResolvableType type, MbusValue value) {
        if (target == Long.class || target == Number.class) {
            return v;
        }
        if (target == Integer.class) {
            return (int) checkRange(v, Integer.MIN_VALUE, Integer.MAX_VALUE, where, type, value);
        }
        if (target == Short.class) {
            return (short) checkRange(v, Short.MIN_VALUE, Short.MAX_VALUE, where, type, value);
        }
        if (target == Byte.class) {
            return (byte) checkRange(v, Byte.MIN_VALUE, Byte.MAX_VALUE, where, type, value);
        }
        if (target == Double.class) {
            return (double) v;
        }
        if (target == Float.class) {
            return (float) v;
        }
        if (target == Boolean.class) {
            return v != 0;
        }
        return null;
    }

    private long checkRange(long v, long min, long max, String where, ResolvableType type, MbusValue value) {
        if (v < min || v > max) {
            throw new MbusConversionException(where + ": expected " + typeName(type) + ", found " + describe(value)
                    + ", out of range " + min + ".." + max);
        }
        return v;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object fromText(String text, Class<?> target, String where, ResolvableType type, MbusValue value) {
        if (target == String.class || target == CharSequence.class) {
            return text;
        }
        if (target == Boolean.class) {
            if (text.equalsIgnoreCase("true")) {
                return Boolean.TRUE;
            }
            if (text.equalsIgnoreCase("false")) {
                return Boolean.FALSE;
            }
            return null;
        }
        if (target.isEnum()) {
            for (Object constant : target.getEnumConstants()) {
                if (((Enum) constant).name().equals(text)) {
                    return constant;
                }
            }
            for (Object constant : target.getEnumConstants()) {
                if (((Enum) constant).name().equalsIgnoreCase(text)) {
                    return constant;
                }
            }
            return null;
        }
        if (target == Address.class) {
            try {
                return Address.parse(text);
            } catch (IllegalArgumentException e) {
                throw new MbusConversionException(where + ": expected an address, found " + describe(value) + ": "
                        + e.getMessage(), e);
            }
        }
        if (target == Character.class && text.length() == 1) {
            return text.charAt(0);
        }
        return null;
    }

    private Object fromList(List<MbusValue> elements, ResolvableType type, Class<?> target, String where) {
        if (target.isRecord()) {
            return toRecord(elements, target, where);
        }
        if (target.isArray() && target != byte[].class) {
            ResolvableType component = type.getComponentType();
            if (component == ResolvableType.NONE) {
                component = ResolvableType.forClass(target.getComponentType());
            }
            Object array = Array.newInstance(component.resolve(Object.class), elements.size());
            for (int i = 0; i < elements.size(); i++) {
                Array.set(array, i, fromMbus(elements.get(i), component, where + ", element " + i));
            }
            return array;
        }
        boolean list = target.isAssignableFrom(ArrayList.class);
        boolean set = !list && target.isAssignableFrom(LinkedHashSet.class);
        if (list || set) {
            ResolvableType elementType = type.asCollection().getGeneric(0);
            Collection<Object> result = list ? new ArrayList<>(elements.size()) : new LinkedHashSet<>();
            for (int i = 0; i < elements.size(); i++) {
                result.add(fromMbus(elements.get(i), elementType, where + ", element " + i));
            }
            return list ? List.copyOf(result) : Set.copyOf(result);
        }
        return null;
    }

    private Object toRecord(List<MbusValue> elements, Class<?> type, String where) {
        RecordComponent[] components = type.getRecordComponents();
        if (components.length != elements.size()) {
            throw new MbusConversionException(where + ": expected " + components.length + " values for record "
                    + type.getSimpleName() + ", found " + elements.size());
        }
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            values[i] = fromMbus(elements.get(i), ResolvableType.forType(components[i].getGenericType()),
                    where + ", component " + components[i].getName() + " of " + type.getSimpleName());
        }
        Constructor<?> constructor = recordConstructors.computeIfAbsent(type, MbusValueConverter::canonicalConstructor);
        try {
            return constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getTargetException();
            throw new MbusConversionException(where + ": record " + type.getSimpleName() + " refused the values: "
                    + cause.getMessage(), cause);
        } catch (ReflectiveOperationException e) {
            throw new MbusConversionException(where + ": cannot create record " + type.getName() + ": " + e, e);
        }
    }

    private static Constructor<?> canonicalConstructor(Class<?> type) {
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] parameterTypes = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            parameterTypes[i] = components[i].getType();
        }
        try {
            Constructor<?> constructor = type.getDeclaredConstructor(parameterTypes);
            ReflectionUtils.makeAccessible(constructor);
            return constructor;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("record without canonical constructor: " + type, e);
        }
    }

    private static MbusConversionException mismatch(String where, ResolvableType type, MbusValue value) {
        return new MbusConversionException(where + ": expected " + typeName(type) + ", found " + describe(value));
    }

    /** A readable type name: {@code int}, {@code List<Integer>}, {@code Volume}. */
    static String typeName(ResolvableType type) {
        Class<?> raw = type.resolve();
        if (raw == null) {
            return type.toString();
        }
        if (!type.hasGenerics()) {
            return raw.isArray() ? raw.getComponentType().getSimpleName() + "[]" : raw.getSimpleName();
        }
        StringBuilder name = new StringBuilder(raw.getSimpleName()).append('<');
        ResolvableType[] generics = type.getGenerics();
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

    /** Reads one record component. */
    private record ComponentReader(RecordComponent component) {
        Object read(Object record) {
            java.lang.reflect.Method accessor = component.getAccessor();
            ReflectionUtils.makeAccessible(accessor);
            return ReflectionUtils.invokeMethod(accessor, record);
        }
    }
}
