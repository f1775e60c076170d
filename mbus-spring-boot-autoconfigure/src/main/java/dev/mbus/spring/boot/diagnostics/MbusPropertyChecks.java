package dev.mbus.spring.boot.diagnostics;

import dev.mbus.core.message.Address;
import java.util.function.Supplier;

/** Turns {@code mbus.*} values into what the engine takes, failing with an {@link InvalidMbusPropertyException}. */
public final class MbusPropertyChecks {

    private MbusPropertyChecks() {
    }

    /**
     * Runs {@code conversion}; the {@link IllegalArgumentException} it throws for a bad value
     * becomes an {@link InvalidMbusPropertyException} naming {@code property}.
     *
     * @param value the value as the report may show it; null for a key
     */
    public static <T> T check(String property, Object value, String action, Supplier<T> conversion) {
        try {
            return conversion.get();
        } catch (IllegalArgumentException e) {
            throw new InvalidMbusPropertyException(property, value == null ? null : String.valueOf(value), null,
                    e.getMessage(), action, e);
        }
    }

    /**
     * The address {@code value} of {@code property}. The parentheses may be left out:
     * {@code app:player} is {@code (app:player)}.
     */
    public static Address address(String property, String value) {
        return check(property, value, "Set " + property + " to an Mbus address: attr:value elements separated by "
                + "spaces, e.g. \"(app:player module:ui)\" (the parentheses may be left out; quote the value in YAML).",
                () -> Address.parse(value));
    }
}
