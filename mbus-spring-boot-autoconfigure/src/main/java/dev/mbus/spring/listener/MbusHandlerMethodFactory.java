package dev.mbus.spring.listener;

import java.lang.reflect.Method;
import java.util.List;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolverComposite;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;

/**
 * spring-messaging's {@link DefaultMessageHandlerMethodFactory}, configured the same way, whose
 * handler methods report the arguments they bind to the {@link MbusListenerInvocation}.
 */
public class MbusHandlerMethodFactory extends DefaultMessageHandlerMethodFactory {

    private final HandlerMethodArgumentResolverComposite resolvers = new HandlerMethodArgumentResolverComposite();

    @Override
    protected List<HandlerMethodArgumentResolver> initArgumentResolvers() {
        List<HandlerMethodArgumentResolver> initialized = super.initArgumentResolvers();
        resolvers.clear();
        resolvers.addResolvers(initialized);
        return initialized;
    }

    @Override
    public InvocableHandlerMethod createInvocableHandlerMethod(Object bean, Method method) {
        MbusListenerMethod handlerMethod = new MbusListenerMethod(bean, method);
        handlerMethod.setMessageMethodArgumentResolvers(resolvers);
        return handlerMethod;
    }
}
