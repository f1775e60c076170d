package dev.mbus.spring.observation;

import dev.mbus.spring.core.MbusTemplateOperation;
import io.micrometer.observation.Observation;

/** The context of an {@code mbus.template} observation. */
public class MbusTemplateObservationContext extends Observation.Context {

    private final MbusTemplateOperation operation;

    public MbusTemplateObservationContext(MbusTemplateOperation operation) {
        this.operation = operation;
    }

    public MbusTemplateOperation getOperation() {
        return operation;
    }
}
