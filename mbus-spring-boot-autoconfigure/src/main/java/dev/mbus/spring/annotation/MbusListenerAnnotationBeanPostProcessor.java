package dev.mbus.spring.annotation;

import dev.mbus.core.message.Address;
import dev.mbus.spring.listener.MbusListenerEndpoint;
import dev.mbus.spring.listener.MbusListenerEndpointRegistry;
import dev.mbus.spring.listener.MbusListenerErrorHandler;
import dev.mbus.spring.support.MbusArgumentsResolver;
import dev.mbus.spring.support.MbusContextArgumentResolver;
import dev.mbus.spring.support.MbusMessageConverter;
import dev.mbus.spring.support.MbusValueConverter;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanExpressionContext;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.MethodParameter;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;
import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;
import org.springframework.validation.Validator;

/**
 * Finds {@link MbusListener @MbusListener} methods on every bean (on the target class of
 * proxies, invoked through the proxy) and registers one endpoint per method with the
 * {@link MbusListenerEndpointRegistry} once all singletons exist.
 *
 * <p>Arguments are bound by a spring-messaging {@link MessageHandlerMethodFactory}: a bean named
 * {@value #HANDLER_METHOD_FACTORY_BEAN_NAME} when there is one, else a
 * {@link DefaultMessageHandlerMethodFactory} with the Mbus resolvers ahead of the catch-all
 * payload resolver, the {@link MbusValueConverter} bean (or one made from the context's
 * {@code Converter} beans and Jackson mapper) and the context's {@link Validator}. With that
 * factory every parameter is checked when the listener is registered: one that no converter
 * can produce fails start-up. The registry replies with the same converter.
 */
public class MbusListenerAnnotationBeanPostProcessor
        implements BeanPostProcessor, Ordered, BeanFactoryAware, SmartInitializingSingleton {

    /** The bean name {@code @EnableMbus} registers this post-processor under. */
    public static final String BEAN_NAME = "dev.mbus.spring.annotation.internalMbusListenerAnnotationProcessor";

    /** Name of an optional {@link MessageHandlerMethodFactory} bean that replaces the default. */
    public static final String HANDLER_METHOD_FACTORY_BEAN_NAME = "mbusHandlerMethodFactory";

    /** The name Spring Boot gives its validator. */
    private static final String DEFAULT_VALIDATOR_BEAN_NAME = "defaultValidator";

    private record Found(Object bean, String beanName, Method method, MbusListener annotation) {
    }

    private final Set<Class<?>> nonAnnotatedClasses = ConcurrentHashMap.newKeySet();
    private final Set<String> usedIds = ConcurrentHashMap.newKeySet();
    private final List<Found> pending = new ArrayList<>();
    private BeanFactory beanFactory;
    private BeanExpressionContext expressionContext;
    private final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();
    private volatile MessageHandlerMethodFactory handlerMethodFactory;
    private volatile MbusArgumentsResolver argumentsResolver;
    private volatile MbusValueConverter converter;
    private volatile MbusListenerEndpointRegistry registry;

    @Override
    public int getOrder() {
        return LOWEST_PRECEDENCE; // after proxy creators, so that the bean seen is the proxy
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
        if (beanFactory instanceof ConfigurableBeanFactory configurable) {
            this.expressionContext = new BeanExpressionContext(configurable, null);
        }
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        Class<?> targetClass = AopUtils.getTargetClass(bean);
        if (nonAnnotatedClasses.contains(targetClass)) {
            return bean;
        }
        if (!AnnotationUtils.isCandidateClass(targetClass, MbusListener.class)) {
            nonAnnotatedClasses.add(targetClass);
            return bean;
        }
        Map<Method, MbusListener> methods = MethodIntrospector.selectMethods(targetClass,
                (MethodIntrospector.MetadataLookup<MbusListener>) method ->
                        AnnotatedElementUtils.findMergedAnnotation(method, MbusListener.class));
        if (methods.isEmpty()) {
            nonAnnotatedClasses.add(targetClass);
            return bean;
        }
        methods.forEach((method, annotation) -> {
            Found found = new Found(bean, beanName, method, annotation);
            MbusListenerEndpointRegistry ready = registry;
            if (ready != null) {
                ready.registerListenerContainer(endpoint(found));
            } else {
                synchronized (pending) {
                    pending.add(found);
                }
            }
        });
        return bean;
    }

    @Override
    public void afterSingletonsInstantiated() {
        MbusListenerEndpointRegistry endpoints =
                beanFactory.getBean(MbusListenerEndpointRegistry.BEAN_NAME, MbusListenerEndpointRegistry.class);
        List<Found> found;
        synchronized (pending) {
            found = List.copyOf(pending);
            pending.clear();
        }
        endpoints.setConverter(converter()); // replies as the arguments, Boot or not
        for (Found listener : found) {
            endpoints.registerListenerContainer(endpoint(listener));
        }
        this.registry = endpoints;
    }

    private MbusListenerEndpoint endpoint(Found found) {
        MbusListener annotation = found.annotation();
        Method invocable = AopUtils.selectInvocableMethod(found.method(), found.bean().getClass());
        InvocableHandlerMethod handlerMethod = handlerMethodFactory().createInvocableHandlerMethod(found.bean(), invocable);
        checkParameters(handlerMethod);
        String id = resolveString(annotation.id());
        if (!StringUtils.hasText(id)) {
            id = found.beanName() + "." + found.method().getName();
            String base = id;
            for (int n = 1; usedIds.contains(id); n++) {
                id = base + "#" + n;
            }
        }
        usedIds.add(id);
        List<String> commands = new ArrayList<>();
        for (String command : annotation.commands()) {
            resolveInto(command, commands);
        }
        String location = "@MbusListener on " + found.method().toGenericString();
        if (commands.isEmpty()) {
            throw new IllegalStateException(location + " names no command");
        }
        String destination = resolveString(annotation.destination());
        Address filter = null;
        if (StringUtils.hasText(destination)) {
            try {
                filter = Address.parse(destination);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(location + ": destination '" + destination + "' is not an address: "
                        + e.getMessage(), e);
            }
        }
        String autoStartup = resolveString(annotation.autoStartup());
        String errorHandlerName = resolveString(annotation.errorHandler());
        MbusListenerErrorHandler errorHandler = StringUtils.hasText(errorHandlerName)
                ? beanFactory.getBean(errorHandlerName, MbusListenerErrorHandler.class) : null;
        SendTo sendTo = AnnotatedElementUtils.findMergedAnnotation(found.method(), SendTo.class);
        String sendToSpec = null;
        if (sendTo != null && sendTo.value().length > 0) {
            sendToSpec = resolveString(sendTo.value()[0]);
        }
        return MbusListenerEndpoint.builder(id).commands(commands).handlerMethod(handlerMethod)
                .destinationFilter(filter)
                .autoStartup(StringUtils.hasText(autoStartup) ? Boolean.valueOf(autoStartup.strip()) : null)
                .errorHandler(errorHandler).sendTo(StringUtils.hasText(sendToSpec) ? sendToSpec : null).build();
    }

    private MessageHandlerMethodFactory handlerMethodFactory() {
        MessageHandlerMethodFactory factory = handlerMethodFactory;
        if (factory == null) {
            if (beanFactory.containsBean(HANDLER_METHOD_FACTORY_BEAN_NAME)) {
                factory = beanFactory.getBean(HANDLER_METHOD_FACTORY_BEAN_NAME, MessageHandlerMethodFactory.class);
            } else {
                MbusValueConverter converter = converter();
                argumentsResolver = new MbusArgumentsResolver(converter, validator());
                DefaultMessageHandlerMethodFactory defaults = new DefaultMessageHandlerMethodFactory();
                defaults.setConversionService(converter.getConversionService());
                defaults.setMessageConverter(new MbusMessageConverter(converter));
                defaults.setCustomArgumentResolvers(List.of(new MbusContextArgumentResolver(), argumentsResolver));
                defaults.setBeanFactory(beanFactory);
                defaults.afterPropertiesSet();
                factory = defaults;
            }
            handlerMethodFactory = factory;
        }
        return factory;
    }

    /** The converter of arguments and replies alike: the context's, or one made from its beans. */
    private MbusValueConverter converter() {
        MbusValueConverter found = converter;
        if (found == null) {
            found = beanFactory.getBeanProvider(MbusValueConverter.class).getIfUnique(() ->
                    MbusValueConverter.create((ListableBeanFactory) beanFactory, beanClassLoader()));
            converter = found;
        }
        return found;
    }

    private ClassLoader beanClassLoader() {
        return beanFactory instanceof ConfigurableBeanFactory configurable && configurable.getBeanClassLoader() != null
                ? configurable.getBeanClassLoader() : ClassUtils.getDefaultClassLoader();
    }

    /** The context's validator: the only one, else Boot's {@code defaultValidator} (a web application has two). */
    private Validator validator() {
        return beanFactory.getBeanProvider(Validator.class).getIfUnique(() ->
                beanFactory.containsBean(DEFAULT_VALIDATOR_BEAN_NAME)
                        ? beanFactory.getBean(DEFAULT_VALIDATOR_BEAN_NAME, Validator.class) : null);
    }

    /** Fails start-up when a parameter cannot be bound, rather than every command that comes. */
    private void checkParameters(InvocableHandlerMethod handlerMethod) {
        MbusArgumentsResolver resolver = argumentsResolver;
        if (resolver == null) {
            return; // the application's own factory binds as it pleases
        }
        for (MethodParameter parameter : handlerMethod.getMethodParameters()) {
            parameter.initParameterNameDiscovery(parameterNames);
            String problem = resolver.check(parameter);
            if (problem != null) {
                throw new IllegalStateException("@MbusListener method " + describe(handlerMethod.getMethod())
                        + ": parameter " + parameter.getParameterIndex()
                        + (parameter.getParameterName() != null ? " (" + parameter.getParameterName() + ")" : "")
                        + ": " + problem);
            }
        }
    }

    private static String describe(Method method) {
        StringBuilder text = new StringBuilder(ClassUtils.getShortName(method.getDeclaringClass())).append('.')
                .append(method.getName()).append('(');
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            text.append(i == 0 ? "" : ", ").append(types[i].isArray() ? types[i].getComponentType().getSimpleName() + "[]"
                    : ClassUtils.getShortName(types[i]));
        }
        return text.append(')').toString();
    }

    private String resolveString(String value) {
        Object resolved = resolve(value);
        if (resolved == null) {
            return null;
        }
        if (resolved instanceof String text) {
            return text;
        }
        throw new IllegalStateException("@MbusListener attribute '" + value + "' must resolve to a String, not "
                + resolved.getClass().getName());
    }

    private void resolveInto(String value, List<String> into) {
        Object resolved = resolve(value);
        if (resolved instanceof String text) {
            for (String part : StringUtils.commaDelimitedListToStringArray(text)) {
                if (StringUtils.hasText(part)) {
                    into.add(part.strip());
                }
            }
        } else if (resolved instanceof String[] array) {
            for (String part : array) {
                resolveInto(part, into);
            }
        } else if (resolved instanceof Collection<?> collection) {
            for (Object part : collection) {
                resolveInto(String.valueOf(part), into);
            }
        } else if (resolved != null) {
            throw new IllegalStateException("@MbusListener command '" + value + "' resolved to a "
                    + resolved.getClass().getName() + ", not a String, String[] or Collection");
        }
    }

    private Object resolve(String value) {
        if (value == null || !(beanFactory instanceof ConfigurableBeanFactory configurable)) {
            return value;
        }
        String placeholdersResolved = configurable.resolveEmbeddedValue(value);
        if (configurable.getBeanExpressionResolver() == null || placeholdersResolved == null) {
            return placeholdersResolved;
        }
        return configurable.getBeanExpressionResolver().evaluate(placeholdersResolved, expressionContext);
    }
}
