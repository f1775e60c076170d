package dev.mbus.spring.integration;

import static dev.mbus.spring.integration.IntegrationBus.APP;
import static dev.mbus.spring.integration.IntegrationBus.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.core.message.Command;
import dev.mbus.spring.boot.autoconfigure.integration.MbusIntegrationAutoConfiguration;
import dev.mbus.spring.core.MbusEngine;
import dev.mbus.spring.test.MbusTestBus;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.integration.autoconfigure.IntegrationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.integration.channel.QueueChannel;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.ErrorMessage;

/** When the adapters' auto-configuration applies, and what it does then: no more than give inbound adapters the application's converter. */
class MbusIntegrationAutoConfigurationTests {

    private static final String POST_PROCESSOR = "mbusInboundAdapterConverterPostProcessor";

    private final IntegrationBus bus = new IntegrationBus();

    @AfterEach
    void closeBus() {
        bus.close();
    }

    /** A type only the application knows how to read, through its own converter bean (not a record: those take all arguments). */
    static final class Celsius {
        final double degrees;

        Celsius(double degrees) {
            this.degrees = degrees;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Celsius celsius && celsius.degrees == degrees;
        }

        @Override
        public int hashCode() {
            return Double.hashCode(degrees);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CelsiusFlow {
        @Bean
        Converter<String, Celsius> celsiusConverter() {
            return text -> new Celsius(Double.parseDouble(text.replace("C", "")));
        }

        @Bean
        IntegrationFlow celsiusFlow(MbusEngine engine) {
            return IntegrationFlow.from(Mbus.inboundAdapter(engine).commands("temp.*").payloadType(Celsius.class)
                    .errorChannel("errors")).channel("out").get();
        }
    }

    @Test
    void inboundAdaptersConvertWithTheApplicationsConverters() {
        bus.runner().withUserConfiguration(TestChannels.class, CelsiusFlow.class).run(context -> {
            bus.tester().sendReliable(APP, Command.of("temp.now", "21.5C")).get(WAIT.toSeconds(), TimeUnit.SECONDS);

            Message<?> message = context.getBean("out", QueueChannel.class).receive(WAIT.toMillis());

            assertThat(message).as("converted; errors: %s", context.getBean("errors", QueueChannel.class).receive(0))
                    .isNotNull();
            assertThat(message.getPayload()).isEqualTo(new Celsius(21.5));
        });
    }

    @Test
    void withoutTheAutoConfigurationAnInboundAdapterHasOnlyTheBuiltInConversions() {
        MbusTestBus plain = MbusTestBus.create();
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(dev.mbus.spring.boot.autoconfigure.MbusAutoConfiguration.class,
                        IntegrationAutoConfiguration.class))
                .withPropertyValues(plain.propertyValues("(app:unit)")).withPropertyValues("mbus.keep-alive=false")
                .withUserConfiguration(TestChannels.class, CelsiusFlow.class).run(context -> {
                    try (var tester = plain.startEntity("(app:tester)")) {
                        tester.awaitPeer(APP, WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                        tester.sendReliable(APP, Command.of("temp.now", "21.5C")).get(WAIT.toSeconds(), TimeUnit.SECONDS);

                        Message<?> error = context.getBean("errors", QueueChannel.class).receive(WAIT.toMillis());

                        assertThat(error).isInstanceOf(ErrorMessage.class);
                        assertThat(context.getBean("out", QueueChannel.class).receive(0)).isNull();
                    }
                });
    }

    @Test
    void itAddsNoFlowNoAdapterAndNoChannelOfItsOwn() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(dev.mbus.spring.boot.autoconfigure.MbusAutoConfiguration.class,
                        IntegrationAutoConfiguration.class))
                .withPropertyValues("mbus.keep-alive=false")
                .run(without -> new ApplicationContextRunner()
                        .withConfiguration(AutoConfigurations.of(
                                dev.mbus.spring.boot.autoconfigure.MbusAutoConfiguration.class,
                                IntegrationAutoConfiguration.class, MbusIntegrationAutoConfiguration.class))
                        .withPropertyValues("mbus.keep-alive=false")
                        .run(with -> {
                            assertThat(with).hasBean(POST_PROCESSOR);
                            assertThat(with).doesNotHaveBean(MbusInboundChannelAdapter.class)
                                    .doesNotHaveBean(MbusMessageHandler.class).doesNotHaveBean(IntegrationFlow.class);
                            assertThat(with.getBeanDefinitionNames()).hasSize(without.getBeanDefinitionNames().length + 2);
                        }));
    }

    @Test
    void itBacksOffWithoutAnEngine() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(IntegrationAutoConfiguration.class,
                        MbusIntegrationAutoConfiguration.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(POST_PROCESSOR)
                        .doesNotHaveBean(MbusIntegrationAutoConfiguration.class));
    }

    @Test
    void itBacksOffWithoutSpringIntegration() {
        bus.runner().withClassLoader(new FilteredClassLoader(IntegrationFlow.class))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(MbusEngine.class)
                        .doesNotHaveBean(POST_PROCESSOR));
    }
}
