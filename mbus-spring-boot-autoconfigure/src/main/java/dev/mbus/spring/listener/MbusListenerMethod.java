package dev.mbus.spring.listener;

import java.lang.reflect.Method;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;

/**
 * A listener method that tells its {@link MbusListenerInvocation} the arguments it binds before
 * the call, so that interceptors (the test harness) see them converted.
 */
final class MbusListenerMethod extends InvocableHandlerMethod {

    MbusListenerMethod(Object bean, Method method) {
        super(bean, method);
    }

    Object invoke(Message<?> message, MbusListenerInvocation invocation) throws Exception {
        Object[] arguments = getMethodArgumentValues(message);
        invocation.bound(arguments);
        return doInvoke(arguments);
    }
}
