package dev.mbus.spring.support;

import dev.mbus.core.message.DataValue;
import dev.mbus.core.message.FloatValue;
import dev.mbus.core.message.IntegerValue;
import dev.mbus.core.message.ListValue;
import dev.mbus.core.message.MbusValue;
import dev.mbus.core.message.StringValue;
import dev.mbus.core.message.SymbolValue;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.BeanUtils;
import org.springframework.core.ResolvableType;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.convert.converter.ConditionalGenericConverter;
import org.springframework.util.ReflectionUtils;

/**
 * Converts an {@link MbusValue} to the Java type asked for. What is Mbus-specific is done here:
 * a value converts only from its own kind (an integer to numbers and {@code boolean}, a float to
 * floating types, a string or symbol to text), booleans are strict (an integer, non-zero being
 * true, or {@code true}/{@code false}), records are built from a list by position, and objects
 * without an Mbus form (JavaBeans, maps) are read from the JSON in a string. The rest (number
 * narrowing with range checks, collections and arrays by element type, enums, {@code Optional},
 * {@code UUID}, {@code Instant}, the application's {@code Converter}s) is the conversion
 * service's, from the value's plain Java form.
 */
final class MbusValueReader implements ConditionalGenericConverter {

    private static final TypeDescriptor STRING = TypeDescriptor.valueOf(String.class);
    private static final TypeDescriptor LONG = TypeDescriptor.valueOf(Long.class);
    private static final TypeDescriptor DOUBLE = TypeDescriptor.valueOf(Double.class);
    private static final TypeDescriptor BYTES = TypeDescriptor.valueOf(byte[].class);
    private static final TypeDescriptor ELEMENTS = TypeDescriptor.collection(List.class, TypeDescriptor.valueOf(MbusValue.class));

    private final ConversionService service;
    private final MbusJsonForm json;
    private final Map<Class<?>, Constructor<?>> recordConstructors = new ConcurrentHashMap<>();
    /** Records being checked by {@link #canRead}, so that a recursive record type ends. */
    private final ThreadLocal<Set<Class<?>>> checking = ThreadLocal.withInitial(java.util.HashSet::new);

    MbusValueReader(ConversionService service, MbusJsonForm json) {
        this.service = service;
        this.json = json;
    }

    @Override
    public Set<ConvertiblePair> getConvertibleTypes() {
        return Set.of(new ConvertiblePair(MbusValue.class, Object.class));
    }

    @Override
    public boolean matches(TypeDescriptor sourceType, TypeDescriptor targetType) {
        // Optional: the service unwraps it and comes back for the element type.
        return targetType.getObjectType() != Optional.class && canRead(targetType);
    }

    /** Whether some Mbus value converts to {@code type}. */
    boolean canRead(TypeDescriptor type) {
        Class<?> target = type.getObjectType();
        if (target == Optional.class) {
            return service.canConvert(TypeDescriptor.valueOf(MbusValue.class), type);
        }
        if (MbusValue.class.isAssignableFrom(target) || target == Object.class || target == Boolean.class
                || Number.class.isAssignableFrom(target) || target == String.class || target == CharSequence.class
                || target == Character.class || target == byte[].class) {
            return true;
        }
        if (target.isRecord()) {
            if (!checking.get().add(target)) {
                return true;
            }
            try {
                for (RecordComponent component : target.getRecordComponents()) {
                    if (!canRead(componentType(component))) {
                        return false;
                    }
                }
                return true;
            } finally {
                checking.get().remove(target);
            }
        }
        if (target.isArray() || Collection.class.isAssignableFrom(target)) {
            TypeDescriptor element = type.getElementTypeDescriptor();
            return element == null || canRead(element);
        }
        if (service.canConvert(STRING, type) || service.canConvert(LONG, type) || service.canConvert(DOUBLE, type)) {
            return true;
        }
        return json != null && isJsonType(target);
    }

    @Override
    public Object convert(Object source, TypeDescriptor sourceType, TypeDescriptor targetType) {
        return source == null ? null : read((MbusValue) source, targetType);
    }

    private Object read(MbusValue value, TypeDescriptor type) {
        Class<?> target = type.getObjectType();
        if (MbusValue.class.isAssignableFrom(target)) {
            if (target.isInstance(value)) {
                return value;
            }
            throw mismatch(value, type, null);
        }
        if (target == Object.class) {
            return value.toJava();
        }
        if (target == Boolean.class) {
            return readBoolean(value, type);
        }
        if (Number.class.isAssignableFrom(target)) {
            return readNumber(value, type);
        }
        boolean text = value instanceof StringValue || value instanceof SymbolValue;
        if (target == String.class || target == CharSequence.class || target == Character.class) {
            if (text && (target != Character.class || value.asString().length() == 1)) {
                return target == Character.class ? value.asString().charAt(0) : value.asString();
            }
            throw mismatch(value, type, null);
        }
        boolean list = value instanceof ListValue;
        if ((target.isArray() && target != byte[].class) || Collection.class.isAssignableFrom(target)) {
            if (list) {
                return delegate(value.asList(), ELEMENTS, value, type);
            }
            throw mismatch(value, type, null);
        }
        // Before records: the application's Converter<String, YourRecord> wins over the positional form.
        if (text && service.canConvert(STRING, type)) {
            return delegate(value.asString(), STRING, value, type);
        }
        if (target.isRecord() && list) {
            return readRecord(value.asList(), target);
        }
        if (text && json != null && isJsonType(target)) {
            return json.read(value.asString(), type);
        }
        TypeDescriptor plain = value instanceof IntegerValue ? LONG : value instanceof FloatValue ? DOUBLE
                : value instanceof DataValue ? BYTES : null;
        if (plain != null && service.canConvert(plain, type)) {
            return delegate(value.toJava(), plain, value, type);
        }
        throw mismatch(value, type, null);
    }

    private static Boolean readBoolean(MbusValue value, TypeDescriptor type) {
        if (value instanceof IntegerValue integer) {
            return integer.value() != 0;
        }
        if ((value instanceof StringValue || value instanceof SymbolValue)
                && (value.asString().equalsIgnoreCase("true") || value.asString().equalsIgnoreCase("false"))) {
            return Boolean.valueOf(value.asString());
        }
        throw mismatch(value, type, null);
    }

    private Object readNumber(MbusValue value, TypeDescriptor type) {
        Class<?> target = type.getObjectType();
        boolean integral = target == Long.class || target == Integer.class || target == Short.class
                || target == Byte.class || target == BigInteger.class;
        if (value instanceof IntegerValue || (value instanceof FloatValue && !integral)) {
            TypeDescriptor plain = value instanceof IntegerValue ? LONG : DOUBLE;
            try {
                return service.convert(value.toJava(), plain, type);
            } catch (RuntimeException e) {
                throw mismatch(value, type, "out of range");
            }
        }
        throw mismatch(value, type, null);
    }

    private Object delegate(Object plain, TypeDescriptor plainType, MbusValue value, TypeDescriptor type) {
        try {
            return service.convert(plain, plainType, type);
        } catch (RuntimeException e) {
            MbusConversionException inner = MbusConversionException.within(e);
            if (inner != null) {
                throw inner;
            }
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw mismatch(value, type, cause.getMessage());
        }
    }

    private Object readRecord(List<MbusValue> elements, Class<?> type) {
        RecordComponent[] components = type.getRecordComponents();
        if (components.length != elements.size()) {
            throw new MbusConversionException("expected " + components.length + " values for record "
                    + type.getSimpleName() + ", found " + elements.size());
        }
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            try {
                values[i] = service.convert(elements.get(i), TypeDescriptor.forObject(elements.get(i)),
                        componentType(components[i]));
            } catch (RuntimeException e) {
                throw MbusConversionException.of(e).at("component " + components[i].getName() + " of " + type.getSimpleName());
            }
        }
        Constructor<?> constructor = recordConstructors.computeIfAbsent(type, MbusValueReader::canonicalConstructor);
        try {
            return constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getTargetException();
            throw new MbusConversionException("record " + type.getSimpleName() + " refused the values: "
                    + cause.getMessage(), cause);
        } catch (ReflectiveOperationException e) {
            throw new MbusConversionException("cannot create record " + type.getName() + ": " + e, e);
        }
    }

    private static TypeDescriptor componentType(RecordComponent component) {
        return new TypeDescriptor(ResolvableType.forType(component.getGenericType()), null, component.getAnnotations());
    }

    private static Constructor<?> canonicalConstructor(Class<?> type) {
        Class<?>[] parameterTypes = java.util.Arrays.stream(type.getRecordComponents()).map(RecordComponent::getType)
                .toArray(Class<?>[]::new);
        try {
            Constructor<?> constructor = type.getDeclaredConstructor(parameterTypes);
            ReflectionUtils.makeAccessible(constructor);
            return constructor;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("record without canonical constructor: " + type, e);
        }
    }

    /** Maps and JavaBeans: what has no Mbus form of its own travels as JSON. */
    static boolean isJsonType(Class<?> type) {
        return Map.class.isAssignableFrom(type) || (!type.isInterface() && !type.isPrimitive() && !type.isArray()
                && !java.lang.reflect.Modifier.isAbstract(type.getModifiers()) && !BeanUtils.isSimpleValueType(type)
                && !type.getName().startsWith("java."));
    }

    private static MbusConversionException mismatch(MbusValue value, TypeDescriptor type, String detail) {
        return new MbusConversionException("expected " + MbusValueConverter.typeName(type) + ", found "
                + MbusValueConverter.describe(value) + (detail == null ? "" : ", " + detail));
    }
}
