package dev.mbus.spring.test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/** Puts a new {@link MbusTestBus} into a test context's environment and beans. */
final class EmbeddedMbusContextCustomizer implements ContextCustomizer {

    static final String PROPERTY_SOURCE_NAME = "embeddedMbus";

    private final String address;

    EmbeddedMbusContextCustomizer(String address) {
        this.address = address;
    }

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
        MbusTestBus bus = MbusTestBus.create();
        Map<String, Object> properties = new LinkedHashMap<>(bus.properties());
        if (!address.isBlank()) {
            properties.put("mbus.entity.address", address);
        }
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, properties));
        context.getBeanFactory().registerSingleton("mbusTestBus", bus);
        context.getBeanFactory().registerSingleton("mbusListenerTestHarness", new MbusListenerTestHarness());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EmbeddedMbusContextCustomizer customizer && customizer.address.equals(address);
    }

    @Override
    public int hashCode() {
        return Objects.hash(EmbeddedMbusContextCustomizer.class, address);
    }
}
