package dev.mbus.spring.boot.autoconfigure;

import dev.mbus.core.engine.EntityConfig;

/**
 * Changes the engine's configuration after the {@code mbus.*} properties are applied, each time
 * the engine starts. Beans of this type are applied in {@code @Order}. A customizer that sets
 * a {@linkplain EntityConfig.Builder#transport transport} replaces the UDP transport of the properties.
 */
@FunctionalInterface
public interface MbusEntityConfigCustomizer {

    void customize(EntityConfig.Builder builder);
}
