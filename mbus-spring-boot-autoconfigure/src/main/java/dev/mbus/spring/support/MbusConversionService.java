package dev.mbus.spring.support;

import dev.mbus.core.message.Address;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.format.support.FormattingConversionService;

/**
 * The conversion service of Mbus arguments and replies: Spring Boot's converters and formatters
 * (numbers, collections, arrays, {@code Optional}, enums ignoring case, {@code UUID},
 * {@code Instant}, {@code Duration}, ...) with the Mbus value converters on top. Add the
 * application's {@code Converter}s with {@link #addConverter}, or build it with
 * {@link MbusValueConverter#create} to have the context's beans added.
 */
public class MbusConversionService extends FormattingConversionService {

    /** Without JSON: maps and JavaBeans have no Mbus form. */
    public MbusConversionService() {
        this(null);
    }

    MbusConversionService(MbusJsonForm json) {
        ApplicationConversionService.configure(this);
        addConverter(String.class, Address.class, Address::parse);
        addConverter(Address.class, String.class, Address::toString);
        addConverter(new MbusValueReader(this, json));
        addConverter(new MbusValueWriter(this, json));
    }
}
