package dev.mbus.spring.support;

import dev.mbus.core.message.IntegerValue;
import dev.mbus.core.message.ListValue;
import dev.mbus.core.message.MbusValue;
import dev.mbus.core.message.StringValue;
import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.convert.converter.GenericConverter;
import org.springframework.util.ReflectionUtils;

/**
 * Converts a Java value to its Mbus form: integral numbers to integers, {@code float} and
 * {@code double} to floats, text to strings, enums to symbols, booleans to 1 or 0,
 * {@code byte[]} to data; records (components in order), collections and arrays to lists;
 * {@code Optional} unwrapped. A type the conversion service can read back from text
 * ({@code UUID}, {@code Instant}, {@code Duration}, addresses) becomes that text; a map or a
 * JavaBean becomes a string holding its JSON. A {@code Converter<YourType, MbusValue>} of the
 * application comes before all this (the service prefers the more specific source type).
 */
final class MbusValueWriter implements GenericConverter {

    private static final TypeDescriptor STRING = TypeDescriptor.valueOf(String.class);
    private static final TypeDescriptor MBUS = TypeDescriptor.valueOf(MbusValue.class);

    private final ConversionService service;
    private final MbusJsonForm json;

    MbusValueWriter(ConversionService service, MbusJsonForm json) {
        this.service = service;
        this.json = json;
    }

    @Override
    public Set<ConvertiblePair> getConvertibleTypes() {
        // Collections and object arrays named too: the service's collection-to-object converter would come first.
        return Set.of(new ConvertiblePair(Object.class, MbusValue.class), new ConvertiblePair(Collection.class, MbusValue.class),
                new ConvertiblePair(Object[].class, MbusValue.class));
    }

    @Override
    public Object convert(Object source, TypeDescriptor sourceType, TypeDescriptor targetType) {
        return source == null ? null : write(source);
    }

    private MbusValue write(Object value) {
        if (value instanceof MbusValue mbus) {
            return mbus;
        }
        if (value instanceof Optional<?> optional) {
            return element(optional.orElseThrow(() -> new MbusConversionException("an empty Optional has no Mbus form")));
        }
        if (value instanceof Number || value instanceof CharSequence || value instanceof Enum<?> || value instanceof byte[]) {
            try {
                return MbusValue.of(value);
            } catch (IllegalArgumentException e) {
                throw new MbusConversionException(e.getMessage(), e);
            }
        }
        if (value instanceof Boolean flag) {
            return new IntegerValue(flag ? 1 : 0);
        }
        if (value instanceof Character c) {
            return new StringValue(c.toString());
        }
        Class<?> type = value.getClass();
        if (type.isRecord()) {
            List<MbusValue> elements = new ArrayList<>();
            for (RecordComponent component : type.getRecordComponents()) {
                ReflectionUtils.makeAccessible(component.getAccessor());
                elements.add(element(ReflectionUtils.invokeMethod(component.getAccessor(), value)));
            }
            return new ListValue(elements);
        }
        if (value instanceof Collection<?> collection) {
            List<MbusValue> elements = new ArrayList<>(collection.size());
            collection.forEach(element -> elements.add(element(element)));
            return new ListValue(elements);
        }
        if (type.isArray()) {
            List<MbusValue> elements = new ArrayList<>(Array.getLength(value));
            for (int i = 0; i < Array.getLength(value); i++) {
                elements.add(element(Array.get(value, i)));
            }
            return new ListValue(elements);
        }
        if (!(value instanceof Map) && service.canConvert(STRING, TypeDescriptor.valueOf(type))) {
            return new StringValue(service.convert(value, String.class));
        }
        if (json != null && MbusValueReader.isJsonType(type)) {
            return new StringValue(json.write(value));
        }
        throw new MbusConversionException("no Mbus value for " + type.getName() + (json == null && MbusValueReader.isJsonType(type)
                ? " (maps and JavaBeans travel as JSON: add Jackson 3, e.g. spring-boot-starter-jackson)"
                : "; declare a Converter<" + type.getSimpleName() + ", MbusValue> bean"));
    }

    /** An element or component: through the service, so that the application's converters apply. */
    private MbusValue element(Object value) {
        if (value == null) {
            throw new MbusConversionException("null has no Mbus form");
        }
        try {
            return (MbusValue) service.convert(value, TypeDescriptor.forObject(value), MBUS);
        } catch (RuntimeException e) {
            throw MbusConversionException.of(e);
        }
    }
}
