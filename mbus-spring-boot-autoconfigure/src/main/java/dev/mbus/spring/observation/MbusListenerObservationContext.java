package dev.mbus.spring.observation;

import dev.mbus.spring.listener.MbusListenerInvocation;
import io.micrometer.observation.Observation;

/** The context of an {@code mbus.listener} observation. */
public class MbusListenerObservationContext extends Observation.Context {

    private final MbusListenerInvocation invocation;

    public MbusListenerObservationContext(MbusListenerInvocation invocation) {
        this.invocation = invocation;
    }

    public MbusListenerInvocation getInvocation() {
        return invocation;
    }
}
