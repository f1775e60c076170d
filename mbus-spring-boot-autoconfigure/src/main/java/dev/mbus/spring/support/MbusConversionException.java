package dev.mbus.spring.support;

import org.springframework.messaging.converter.MessageConversionException;

/**
 * A command argument could not be converted to the type a listener declared, or a Java value
 * has no Mbus form. The message names where the value was (argument position, element) and the
 * type expected, for example {@code argument 1 of tool.rat.volume: expected int, found "loud" (string)}.
 */
public class MbusConversionException extends MessageConversionException {

    public MbusConversionException(String description) {
        super(description);
    }

    public MbusConversionException(String description, Throwable cause) {
        super(description, cause);
    }
}
