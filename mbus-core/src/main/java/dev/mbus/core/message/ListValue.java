package dev.mbus.core.message;

import java.util.List;
import java.util.stream.Collectors;

/** An Mbus list: values in order, possibly nested, possibly empty. */
public record ListValue(List<MbusValue> elements) implements MbusValue {

    public static final ListValue EMPTY = new ListValue(List.of());

    public ListValue {
        elements = List.copyOf(elements);
    }

    public static ListValue of(Object... values) {
        return (ListValue) MbusValue.of(values);
    }

    public int size() {
        return elements.size();
    }

    public MbusValue get(int index) {
        return elements.get(index);
    }

    @Override
    public Object toJava() {
        return elements.stream().map(MbusValue::toJava).toList();
    }

    @Override
    public List<MbusValue> asList() {
        return elements;
    }

    @Override
    public String toString() {
        return elements.stream().map(Object::toString).collect(Collectors.joining(" ", "(", ")"));
    }
}
