package dev.mbus.spring.observation;

import dev.mbus.spring.observation.MbusObservationDocumentation.ListenerHighCardinalityKeys;
import dev.mbus.spring.observation.MbusObservationDocumentation.ListenerLowCardinalityKeys;
import io.micrometer.common.KeyValues;

/** The default {@code mbus.listener} convention; see {@link MbusObservationDocumentation}. */
public class DefaultMbusListenerObservationConvention implements MbusListenerObservationConvention {

    public static final DefaultMbusListenerObservationConvention INSTANCE = new DefaultMbusListenerObservationConvention();

    @Override
    public String getContextualName(MbusListenerObservationContext context) {
        return context.getInvocation().command().name() + " receive";
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(MbusListenerObservationContext context) {
        return KeyValues.of(ListenerLowCardinalityKeys.COMMAND.withValue(context.getInvocation().command().name()),
                ListenerLowCardinalityKeys.LISTENER_ID.withValue(context.getInvocation().listenerId()),
                ListenerLowCardinalityKeys.RELIABLE.withValue(
                        String.valueOf(context.getInvocation().command().message().reliable())));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(MbusListenerObservationContext context) {
        return KeyValues.of(ListenerHighCardinalityKeys.SOURCE.withValue(
                context.getInvocation().command().source().toString()));
    }
}
