package dev.mbus.core.message;

/** An Mbus float: a finite double (the wire has no spelling for NaN or infinities). */
public record FloatValue(double value) implements MbusValue {

    public FloatValue {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("an Mbus float must be finite: " + value);
        }
    }

    @Override
    public Object toJava() {
        return value;
    }

    @Override
    public double asDouble() {
        return value;
    }

    @Override
    public String toString() {
        return Double.toString(value);
    }
}
