package dev.mbus.spring.support;

import org.springframework.messaging.converter.MessageConversionException;

/**
 * A command argument could not be converted to the type a listener declared, or a Java value
 * has no Mbus form. The message names where the value was (argument position, record component)
 * and the type expected, for example
 * {@code argument 1 of tool.rat.volume: expected int, found "loud" (string)}.
 */
public class MbusConversionException extends MessageConversionException {

    /** Whether the message starts with where the value was. */
    private final boolean placed;

    public MbusConversionException(String message) {
        this(message, null);
    }

    public MbusConversionException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private MbusConversionException(String message, Throwable cause, boolean placed) {
        super(message, cause);
        this.placed = placed;
    }

    /** This failure, placed at {@code where} ("argument 0 of x", "component y of Point"), outermost first. */
    MbusConversionException at(String where) {
        return new MbusConversionException(where + (placed ? ", " : ": ") + getMessage(), getCause(), true);
    }

    /** The Mbus failure within {@code failure}, else {@code failure} made one. */
    static MbusConversionException of(RuntimeException failure) {
        MbusConversionException inner = within(failure);
        return inner != null ? inner : new MbusConversionException(String.valueOf(failure.getMessage()), failure);
    }

    /** The Mbus failure within {@code failure} (the conversion service wraps what converters throw), or null. */
    static MbusConversionException within(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof MbusConversionException mbus) {
                return mbus;
            }
        }
        return null;
    }
}
