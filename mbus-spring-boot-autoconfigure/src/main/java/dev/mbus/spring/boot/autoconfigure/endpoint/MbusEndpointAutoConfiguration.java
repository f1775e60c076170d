package dev.mbus.spring.boot.autoconfigure.endpoint;

import dev.mbus.spring.actuate.endpoint.MbusEndpoint;
import dev.mbus.spring.boot.autoconfigure.MbusAutoConfiguration;
import dev.mbus.spring.core.MbusEngine;
import dev.mbus.spring.listener.MbusListenerEndpointRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The {@code mbus} actuator endpoint, when the actuator is present and the endpoint is exposed. */
@AutoConfiguration(after = MbusAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(MbusEngine.class)
@ConditionalOnAvailableEndpoint(MbusEndpoint.class)
public final class MbusEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    MbusEndpoint mbusEndpoint(MbusEngine engine, ObjectProvider<MbusListenerEndpointRegistry> registry) {
        return new MbusEndpoint(engine, registry.getIfUnique());
    }
}
