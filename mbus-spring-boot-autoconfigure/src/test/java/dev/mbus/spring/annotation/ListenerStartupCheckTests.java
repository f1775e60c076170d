package dev.mbus.spring.annotation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.spring.listener.MbusListenerContainer;
import dev.mbus.spring.listener.MbusListenerEndpointRegistry;
import dev.mbus.spring.support.BusFixture;
import dev.mbus.spring.support.BusFixture.Seen;
import jakarta.validation.Valid;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.springframework.core.NestedExceptionUtils;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import dev.mbus.spring.boot.autoconfigure.MbusAutoConfiguration;

/** Listener methods are checked when the context starts, not when the first command comes. */
class ListenerStartupCheckTests {

    private final BusFixture fixture = new BusFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    static class Unconvertible {
        @MbusListener("check.run")
        void run(int times, Runnable task) {
        }
    }

    public static class Profile {
        private String name;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }
    }

    static class NeedsJackson {
        @MbusListener("check.bean")
        void bean(Profile bean) {
        }
    }

    public record Level(int value) {
    }

    static class NeedsValidator {
        @MbusListener("check.valid")
        void valid(@Valid Level level) {
        }
    }

    static class Two {
        final Seen seen = new Seen();

        @MbusListener("check.two")
        void two(int a, String b) {
            seen.add(a, b);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UnconvertibleApp {
        @Bean
        Unconvertible unconvertible() {
            return new Unconvertible();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class JacksonApp {
        @Bean
        NeedsJackson needsJackson() {
            return new NeedsJackson();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ValidatorApp {
        @Bean
        NeedsValidator needsValidator() {
            return new NeedsValidator();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoApp {
        @Bean
        Two two() {
            return new Two();
        }
    }

    @Test
    void aParameterNoConverterCanProduceFailsStartupNamingMethodAndParameter() {
        fixture.runner().withUserConfiguration(UnconvertibleApp.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                    .hasMessageContaining("Unconvertible.run(int, Runnable)")
                    .hasMessageContaining("parameter 1 (task)")
                    .hasMessageContaining("Runnable");
        });
    }

    @Test
    void aJavaBeanParameterWithoutJacksonFailsStartup() {
        fixture.runner().withUserConfiguration(JacksonApp.class).run(context -> assertThat(context).hasNotFailed());
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(MbusAutoConfiguration.class))
                .withPropertyValues(fixture.bus().propertyValues("(app:unit)"))
                .withClassLoader(new FilteredClassLoader("tools.jackson"))
                .withUserConfiguration(JacksonApp.class).run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                            .hasMessageContaining("NeedsJackson.bean(ListenerStartupCheckTests.Profile)")
                            .hasMessageContaining("parameter 0 (bean)")
                            .hasMessageContaining("Jackson");
                });
    }

    @Test
    void aValidParameterWithoutAValidatorFailsStartup() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(MbusAutoConfiguration.class))
                .withPropertyValues(fixture.bus().propertyValues("(app:unit)"))
                .withUserConfiguration(ValidatorApp.class).run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                            .hasMessageContaining("NeedsValidator.valid(ListenerStartupCheckTests.Level)")
                            .hasMessageContaining("parameter 0 (level)")
                            .hasMessageContaining("@Valid")
                            .hasMessageContaining("Validator");
                });
    }

    @Test
    void surplusArgumentsAreIgnoredAndCountedByDefault() {
        fixture.runner().withUserConfiguration(TwoApp.class).run(context -> {
            Seen seen = context.getBean(Two.class).seen;
            fixture.send("check.two", 1, "b", 3);
            fixture.send("check.two", 2, "c");
            fixture.send("check.two", 4, "d", 5, 6);
            assertThat(seen.next()).containsExactly(1, "b");
            assertThat(seen.next()).containsExactly(2, "c");
            assertThat(seen.next()).containsExactly(4, "d");
            MbusListenerContainer container = context.getBean(MbusListenerEndpointRegistry.class)
                    .getListenerContainer("two.two");
            assertThat(container.getSurplusArgumentCount()).isEqualTo(2);
            assertThat(container.getErrorCount()).isZero();
        });
    }

    @Test
    void surplusArgumentsFailTheCallWhenStrict() {
        fixture.runner().withUserConfiguration(TwoApp.class)
                .withPropertyValues("mbus.listener.reject-surplus-arguments=true").run(context -> {
                    Seen seen = context.getBean(Two.class).seen;
                    fixture.send("check.two", 1, "b", 3);
                    fixture.send("check.two", 2, "c");
                    assertThat(seen.next()).isEqualTo(List.of(2, "c"));
                    MbusListenerContainer container = context.getBean(MbusListenerEndpointRegistry.class)
                            .getListenerContainer("two.two");
                    assertThat(container.getErrorCount()).isOne();
                    assertThat(container.getSurplusArgumentCount()).isOne();
                });
    }
}
