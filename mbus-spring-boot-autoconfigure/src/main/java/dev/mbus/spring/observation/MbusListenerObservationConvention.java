package dev.mbus.spring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/** A convention for {@code mbus.listener} observations; a bean of this type replaces the default. */
public interface MbusListenerObservationConvention extends ObservationConvention<MbusListenerObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof MbusListenerObservationContext;
    }

    @Override
    default String getName() {
        return "mbus.listener";
    }
}
