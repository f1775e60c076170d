package dev.mbus.spring.test;

import java.util.Objects;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/** Puts a new {@link MbusTestBus} into a test context's environment and beans. */
final class EmbeddedMbusContextCustomizer implements ContextCustomizer {

    private final String address;

    EmbeddedMbusContextCustomizer(String address) {
        this.address = address;
    }

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
        MbusTestBus bus = MbusTestBus.create();
        bus.applyTo(context.getEnvironment(), address.isBlank() ? null : address);
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
