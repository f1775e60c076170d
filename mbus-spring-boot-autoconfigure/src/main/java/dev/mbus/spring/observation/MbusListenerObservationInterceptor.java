package dev.mbus.spring.observation;

import dev.mbus.spring.listener.MbusListenerInterceptor;
import dev.mbus.spring.listener.MbusListenerInvocation;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/** Observes every listener call as {@code mbus.listener}. */
public class MbusListenerObservationInterceptor implements MbusListenerInterceptor {

    private final ObservationRegistry registry;
    private final MbusListenerObservationConvention convention;

    /** @param convention a custom convention, or null for the default */
    public MbusListenerObservationInterceptor(ObservationRegistry registry, MbusListenerObservationConvention convention) {
        this.registry = registry;
        this.convention = convention;
    }

    @Override
    public Object intercept(MbusListenerInvocation invocation, Proceed next) throws Exception {
        Observation observation = MbusObservationDocumentation.LISTENER_OBSERVATION.observation(convention,
                DefaultMbusListenerObservationConvention.INSTANCE, () -> new MbusListenerObservationContext(invocation),
                registry);
        return observation.observeChecked(next::proceed);
    }
}
