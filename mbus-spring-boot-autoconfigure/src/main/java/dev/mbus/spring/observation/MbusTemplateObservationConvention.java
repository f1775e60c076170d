package dev.mbus.spring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/** A convention for {@code mbus.template} observations; a bean of this type replaces the default. */
public interface MbusTemplateObservationConvention extends ObservationConvention<MbusTemplateObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof MbusTemplateObservationContext;
    }

    @Override
    default String getName() {
        return "mbus.template";
    }
}
