package dev.mbus.spring.boot.autoconfigure.integration;

import dev.mbus.spring.boot.autoconfigure.MbusAutoConfiguration;
import dev.mbus.spring.core.MbusEngine;
import dev.mbus.spring.integration.MbusInboundChannelAdapter;
import dev.mbus.spring.support.MbusValueConverter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.integration.dsl.IntegrationFlow;

/**
 * The Spring Integration adapters in a Boot application that has an {@link MbusEngine}. It
 * defines no flow and no adapter: the application does, with {@code Mbus.inboundAdapter(engine)}
 * and {@code Mbus.outboundAdapter(template)}. It only makes every inbound adapter that was given
 * no converter convert with the application's {@link MbusValueConverter} (its {@code Converter}
 * beans and Jackson), as its {@code @MbusListener} methods do; outbound adapters convert with
 * the template's, which is that one already. Spring Integration itself is Boot's to enable.
 */
@AutoConfiguration(after = MbusAutoConfiguration.class,
        afterName = "org.springframework.boot.integration.autoconfigure.IntegrationAutoConfiguration")
@ConditionalOnClass(IntegrationFlow.class)
@ConditionalOnBean(MbusEngine.class)
public final class MbusIntegrationAutoConfiguration {

    /** Static, and with a lazy provider: a post-processor is made before the beans it post-processes. */
    @Bean
    static BeanPostProcessor mbusInboundAdapterConverterPostProcessor(ObjectProvider<MbusValueConverter> converter) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof MbusInboundChannelAdapter adapter && !adapter.hasConverter()) {
                    converter.ifUnique(adapter::setConverter);
                }
                return bean;
            }
        };
    }
}
