package dev.mbus.core.message;

import java.util.Arrays;
import java.util.Base64;

/** Mbus data: opaque bytes, Base64 on the wire. Holds its own copy, so it stays immutable. */
public record DataValue(byte[] bytes) implements MbusValue {

    public DataValue {
        bytes = bytes.clone();
    }

    /** A copy of the bytes. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    @Override
    public Object toJava() {
        return bytes();
    }

    @Override
    public byte[] asBytes() {
        return bytes();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DataValue data && Arrays.equals(bytes, data.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return '<' + Base64.getEncoder().encodeToString(bytes) + '>';
    }
}
