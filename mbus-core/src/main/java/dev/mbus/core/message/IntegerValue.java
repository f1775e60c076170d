package dev.mbus.core.message;

/** An Mbus integer: 64 bits, signed. */
public record IntegerValue(long value) implements MbusValue {

    @Override
    public Object toJava() {
        return value;
    }

    @Override
    public long asLong() {
        return value;
    }

    @Override
    public double asDouble() {
        return value;
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
