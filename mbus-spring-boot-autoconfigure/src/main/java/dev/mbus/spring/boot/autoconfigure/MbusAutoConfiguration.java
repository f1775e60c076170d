package dev.mbus.spring.boot.autoconfigure;

import dev.mbus.core.engine.MbusEntity;
import dev.mbus.spring.annotation.EnableMbus;
import dev.mbus.spring.annotation.MbusListenerAnnotationBeanPostProcessor;
import dev.mbus.spring.boot.diagnostics.MbusPropertyChecks;
import dev.mbus.spring.core.MbusEngine;
import dev.mbus.spring.core.MbusOperations;
import dev.mbus.spring.core.MbusTemplate;
import dev.mbus.spring.core.MbusTemplateInterceptor;
import dev.mbus.spring.event.CloseContextOnQuit;
import dev.mbus.spring.listener.MbusListenerRegistryCustomizer;
import dev.mbus.spring.support.MbusValueConverter;
import java.util.concurrent.Executor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnThreading;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * The Mbus engine, the template and the {@code @MbusListener} infrastructure.
 *
 * <ul>
 * <li>{@link MbusEngine} (unless the application defines one), a {@code SmartLifecycle} that
 * joins the bus when the context starts and leaves it, gracefully, when it stops, and keeps the
 * JVM alive in between ({@code mbus.keep-alive}); with {@code mbus.shutdown.on-quit=true}, an
 * {@code mbus.quit} closes the context;
 * {@link MbusEntityConfigCustomizer} beans adjust its configuration;</li>
 * <li>{@link MbusTemplate} (unless there is an {@link MbusOperations} bean), adjusted by
 * {@link MbusTemplateCustomizer} beans and wrapped by {@link MbusTemplateInterceptor} beans;</li>
 * <li>{@link EnableMbus @EnableMbus}, unless the application applied it;</li>
 * <li>with {@code spring.threads.virtual.enabled=true} (on Java 21+), listeners run on virtual
 * threads: a bean named {@value #HANDLER_EXECUTOR_BEAN_NAME} is the executor of listeners
 * whenever there is one.</li>
 * </ul>
 */
@AutoConfiguration(afterName = "org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration")
@ConditionalOnClass(MbusEntity.class)
@EnableConfigurationProperties(MbusProperties.class)
public final class MbusAutoConfiguration {

    /** Name of the {@link Executor} bean listeners run on, when there is one. */
    public static final String HANDLER_EXECUTOR_BEAN_NAME = "mbusHandlerExecutor";

    @Bean
    @ConditionalOnMissingBean
    MbusValueConverter mbusValueConverter(ConfigurableListableBeanFactory beanFactory) {
        return MbusValueConverter.create(beanFactory, beanFactory.getBeanClassLoader());
    }

    @Bean
    @ConditionalOnMissingBean
    MbusEngine mbusEngine(MbusProperties properties, Environment environment,
            @Qualifier(HANDLER_EXECUTOR_BEAN_NAME) ObjectProvider<Executor> handlerExecutor,
            ObjectProvider<MbusEntityConfigCustomizer> customizers) {
        MbusEngine engine = new MbusEngine(new MbusEntityConfigFactory(properties,
                environment.getProperty("spring.application.name"), handlerExecutor.getIfAvailable(),
                customizers.orderedStream().toList()));
        engine.setShutdownTimeout(properties.shutdown().timeout());
        engine.setKeepAlive(properties.keepAlive());
        return engine;
    }

    @Bean
    @ConditionalOnBooleanProperty("mbus.shutdown.on-quit")
    CloseContextOnQuit mbusCloseContextOnQuit(ConfigurableApplicationContext context) {
        return new CloseContextOnQuit(context);
    }

    @Bean
    @ConditionalOnMissingBean(MbusOperations.class)
    MbusTemplate mbusTemplate(MbusEngine engine, MbusProperties properties, MbusValueConverter converter,
            ObjectProvider<MbusTemplateInterceptor> interceptors, ObjectProvider<MbusTemplateCustomizer> customizers) {
        MbusTemplate template = new MbusTemplate(engine);
        template.setConverter(converter);
        template.setDefaultDestination(MbusPropertyChecks.address("mbus.template.default-destination",
                properties.template().defaultDestination()));
        template.setReplyTimeout(properties.template().replyTimeout());
        template.setAwaitDestination(properties.template().awaitDestination());
        template.setInterceptors(interceptors.orderedStream().toList());
        customizers.orderedStream().forEach(customizer -> customizer.customize(template));
        return template;
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    MbusListenerRegistryCustomizer mbusPropertiesListenerRegistryCustomizer(MbusProperties properties) {
        return registry -> {
            registry.setAutoStartupListeners(properties.listener().autoStartup());
            registry.setRejectSurplusArguments(properties.listener().rejectSurplusArguments());
            registry.setShutdownTimeout(properties.shutdown().timeout());
        };
    }

    @Bean(name = HANDLER_EXECUTOR_BEAN_NAME)
    @ConditionalOnThreading(Threading.VIRTUAL)
    @ConditionalOnMissingBean(name = HANDLER_EXECUTOR_BEAN_NAME)
    SimpleAsyncTaskExecutor mbusHandlerExecutor() {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("mbus-listener-");
        executor.setVirtualThreads(true);
        return executor;
    }

    @Configuration(proxyBeanMethods = false)
    @EnableMbus
    @ConditionalOnMissingBean(name = MbusListenerAnnotationBeanPostProcessor.BEAN_NAME)
    static class EnableMbusConfiguration {
    }
}
