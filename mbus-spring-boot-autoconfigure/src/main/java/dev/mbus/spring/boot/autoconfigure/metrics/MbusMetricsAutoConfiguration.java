package dev.mbus.spring.boot.autoconfigure.metrics;

import dev.mbus.spring.actuate.metrics.MbusMetrics;
import dev.mbus.spring.boot.autoconfigure.MbusAutoConfiguration;
import dev.mbus.spring.core.MbusEngine;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** Micrometer meters of the engine and listeners ({@link MbusMetrics}), when Micrometer is present. */
@AutoConfiguration(after = MbusAutoConfiguration.class,
        afterName = {"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(MbusEngine.class)
public final class MbusMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    MbusMetrics mbusMetrics(MbusEngine engine) {
        return new MbusMetrics(engine);
    }
}
