package dev.mbus.spring.listener;

/**
 * Configures the {@link MbusListenerEndpointRegistry} (defaults, error handler, timeouts) once
 * all singletons exist. Beans of this type are applied in {@code @Order}; Spring Boot's own,
 * from the {@code mbus.listener.*} properties, comes first.
 */
@FunctionalInterface
public interface MbusListenerRegistryCustomizer {

    void customize(MbusListenerEndpointRegistry registry);
}
