package dev.mbus.core.message;

import java.util.Objects;

/** An Mbus string: any Unicode text. */
public record StringValue(String value) implements MbusValue {

    public StringValue {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public Object toJava() {
        return value;
    }

    @Override
    public String asString() {
        return value;
    }

    @Override
    public String toString() {
        return '"' + value + '"';
    }
}
