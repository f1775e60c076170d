package dev.mbus.spring.listener;

/**
 * Wraps every listener call (observation, metrics, the test harness). Beans of this type are
 * applied by the {@link MbusListenerEndpointRegistry} in {@code @Order}, the first outermost.
 * An interceptor calls {@code next.proceed()} once and returns its result, or throws.
 */
@FunctionalInterface
public interface MbusListenerInterceptor {

    Object intercept(MbusListenerInvocation invocation, Proceed next) throws Exception;

    /** The rest of the chain: inner interceptors, then the listener method. */
    @FunctionalInterface
    interface Proceed {
        Object proceed() throws Exception;
    }
}
