package dev.mbus.spring.boot.autoconfigure.nohealth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.spring.actuate.metrics.MbusMetrics;
import dev.mbus.spring.core.MbusEngine;
import dev.mbus.spring.test.MbusTestBus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * Runs only in the surefire execution {@code no-health}, whose class path lacks
 * {@code spring-boot-health}: the starter must work without it. That execution sets the system
 * property this test needs, so that a {@code -Dtest=...} run of the default execution skips it.
 */
@EnabledIfSystemProperty(named = "mbus.test.no-health-run", matches = "true")
class NoHealthModuleTests {

    @Test
    void startsWithoutTheHealthModule() {
        assertThat(ClassUtils.isPresent("org.springframework.boot.health.contributor.HealthIndicator", null))
                .as("spring-boot-health must be excluded from this run's class path").isFalse();
        // Through @EnableAutoConfiguration, as an application gets them: the import filter leaves
        // out what needs missing classes before it is loaded.
        new ApplicationContextRunner()
                .withUserConfiguration(App.class)
                .withPropertyValues(MbusTestBus.create().propertyValues("(app:nohealth)"))
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(MbusEngine.class).hasSingleBean(MbusMetrics.class)
                            .doesNotHaveBean("mbusHealthIndicator");
                    assertThat(context.getBean(MbusEngine.class).isRunning()).isTrue();
                });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
    }
}
