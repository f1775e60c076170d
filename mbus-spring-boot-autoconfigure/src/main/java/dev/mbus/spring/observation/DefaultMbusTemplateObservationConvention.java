package dev.mbus.spring.observation;

import dev.mbus.spring.observation.MbusObservationDocumentation.TemplateHighCardinalityKeys;
import dev.mbus.spring.observation.MbusObservationDocumentation.TemplateLowCardinalityKeys;
import io.micrometer.common.KeyValues;
import java.util.Locale;

/** The default {@code mbus.template} convention; see {@link MbusObservationDocumentation}. */
public class DefaultMbusTemplateObservationConvention implements MbusTemplateObservationConvention {

    public static final DefaultMbusTemplateObservationConvention INSTANCE = new DefaultMbusTemplateObservationConvention();

    @Override
    public String getContextualName(MbusTemplateObservationContext context) {
        return context.getOperation().commandName() + " send";
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(MbusTemplateObservationContext context) {
        return KeyValues.of(TemplateLowCardinalityKeys.COMMAND.withValue(context.getOperation().commandName()),
                TemplateLowCardinalityKeys.OPERATION.withValue(
                        context.getOperation().kind().name().toLowerCase(Locale.ROOT)));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(MbusTemplateObservationContext context) {
        return KeyValues.of(TemplateHighCardinalityKeys.DESTINATION.withValue(
                context.getOperation().destination().toString()));
    }
}
