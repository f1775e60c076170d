package dev.mbus.core.message;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A command argument: one of the six Mbus value types (protocol §3).
 *
 * <p>{@link #of(Object)} turns plain Java values into Mbus values, so that
 * {@code Command.of("tool.rat.volume", 42)} reads like the call it stands for.
 */
public sealed interface MbusValue
        permits IntegerValue, FloatValue, StringValue, SymbolValue, ListValue, DataValue {

    /**
     * Converts a Java value: integral numbers to {@link IntegerValue}, {@code float} and
     * {@code double} to {@link FloatValue}, {@link CharSequence} to {@link StringValue},
     * {@code byte[]} to {@link DataValue}, enums to {@link SymbolValue}, booleans to 1 or 0
     * (the Mbus convention), collections and arrays to {@link ListValue}; an
     * {@code MbusValue} is returned as it is.
     *
     * @throws IllegalArgumentException for null or any other type
     */
    static MbusValue of(Object value) {
        if (value instanceof MbusValue mbus) {
            return mbus;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return new IntegerValue(((Number) value).longValue());
        }
        if (value instanceof Double || value instanceof Float) {
            return new FloatValue(((Number) value).doubleValue());
        }
        if (value instanceof CharSequence text) {
            return new StringValue(text.toString());
        }
        if (value instanceof Boolean flag) {
            return new IntegerValue(flag ? 1 : 0);
        }
        if (value instanceof Enum<?> constant) {
            return new SymbolValue(constant.name());
        }
        if (value instanceof byte[] bytes) {
            return new DataValue(bytes);
        }
        if (value instanceof Collection<?> collection) {
            List<MbusValue> elements = new ArrayList<>(collection.size());
            for (Object element : collection) {
                elements.add(of(element));
            }
            return new ListValue(elements);
        }
        if (value != null && value.getClass().isArray()) {
            int length = Array.getLength(value);
            List<MbusValue> elements = new ArrayList<>(length);
            for (int i = 0; i < length; i++) {
                elements.add(of(Array.get(value, i)));
            }
            return new ListValue(elements);
        }
        throw new IllegalArgumentException("no Mbus value for "
                + (value == null ? "null" : value.getClass().getName()));
    }

    /** The plain Java form: Long, Double, String (strings and symbols), List, byte[]. */
    Object toJava();

    /** This value as an integer; fails with a message naming the actual type. */
    default long asLong() {
        throw new IllegalStateException("expected an integer, found " + this);
    }

    /** This value as a float; integers are widened, as a reader of numbers expects. */
    default double asDouble() {
        throw new IllegalStateException("expected a float, found " + this);
    }

    /** The text of a string or the name of a symbol. */
    default String asString() {
        throw new IllegalStateException("expected a string or symbol, found " + this);
    }

    /** The elements of a list. */
    default List<MbusValue> asList() {
        throw new IllegalStateException("expected a list, found " + this);
    }

    /** The bytes of a data value (a copy). */
    default byte[] asBytes() {
        throw new IllegalStateException("expected data, found " + this);
    }
}
