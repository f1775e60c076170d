package dev.mbus.spring.boot.autoconfigure.observation;

import dev.mbus.spring.boot.autoconfigure.MbusAutoConfiguration;
import dev.mbus.spring.core.MbusEngine;
import dev.mbus.spring.observation.MbusListenerObservationConvention;
import dev.mbus.spring.observation.MbusListenerObservationInterceptor;
import dev.mbus.spring.observation.MbusTemplateObservationConvention;
import dev.mbus.spring.observation.MbusTemplateObservationInterceptor;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Observation of the template and of listeners, each off unless
 * {@code mbus.template.observation-enabled} / {@code mbus.listener.observation-enabled} is true
 * and there is an {@link ObservationRegistry}. Custom conventions are taken from beans of type
 * {@link MbusTemplateObservationConvention} and {@link MbusListenerObservationConvention}.
 */
@AutoConfiguration(after = MbusAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean({MbusEngine.class, ObservationRegistry.class})
public final class MbusObservationAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(name = "mbus.template.observation-enabled", havingValue = "true")
    MbusTemplateObservationInterceptor mbusTemplateObservationInterceptor(ObservationRegistry registry,
            ObjectProvider<MbusTemplateObservationConvention> convention) {
        return new MbusTemplateObservationInterceptor(registry, convention.getIfUnique());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(name = "mbus.listener.observation-enabled", havingValue = "true")
    MbusListenerObservationInterceptor mbusListenerObservationInterceptor(ObservationRegistry registry,
            ObjectProvider<MbusListenerObservationConvention> convention) {
        return new MbusListenerObservationInterceptor(registry, convention.getIfUnique());
    }
}
