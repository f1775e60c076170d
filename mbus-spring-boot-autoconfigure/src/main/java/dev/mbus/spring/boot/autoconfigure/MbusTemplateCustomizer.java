package dev.mbus.spring.boot.autoconfigure;

import dev.mbus.spring.core.MbusTemplate;

/** Changes the auto-configured {@link MbusTemplate}; beans of this type are applied in {@code @Order}. */
@FunctionalInterface
public interface MbusTemplateCustomizer {

    void customize(MbusTemplate template);
}
