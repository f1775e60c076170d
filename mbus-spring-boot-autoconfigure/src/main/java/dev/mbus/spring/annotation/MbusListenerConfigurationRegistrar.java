package dev.mbus.spring.annotation;

import dev.mbus.spring.listener.MbusListenerEndpointRegistry;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.type.AnnotationMetadata;

/** Registers the infrastructure of {@link EnableMbus}, each bean only when its name is free. */
public class MbusListenerConfigurationRegistrar implements ImportBeanDefinitionRegistrar {

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        if (!registry.containsBeanDefinition(MbusListenerAnnotationBeanPostProcessor.BEAN_NAME)) {
            RootBeanDefinition processor = new RootBeanDefinition(MbusListenerAnnotationBeanPostProcessor.class);
            processor.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
            registry.registerBeanDefinition(MbusListenerAnnotationBeanPostProcessor.BEAN_NAME, processor);
        }
        if (!registry.containsBeanDefinition(MbusListenerEndpointRegistry.BEAN_NAME)) {
            RootBeanDefinition endpoints = new RootBeanDefinition(MbusListenerEndpointRegistry.class);
            endpoints.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
            registry.registerBeanDefinition(MbusListenerEndpointRegistry.BEAN_NAME, endpoints);
        }
    }
}
