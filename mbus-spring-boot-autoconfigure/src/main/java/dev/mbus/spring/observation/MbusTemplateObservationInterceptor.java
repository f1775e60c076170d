package dev.mbus.spring.observation;

import dev.mbus.spring.core.MbusTemplateInterceptor;
import dev.mbus.spring.core.MbusTemplateOperation;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/** Observes every template send as {@code mbus.template}, until its outcome is known. */
public class MbusTemplateObservationInterceptor implements MbusTemplateInterceptor {

    private final ObservationRegistry registry;
    private final MbusTemplateObservationConvention convention;

    /** @param convention a custom convention, or null for the default */
    public MbusTemplateObservationInterceptor(ObservationRegistry registry, MbusTemplateObservationConvention convention) {
        this.registry = registry;
        this.convention = convention;
    }

    @Override
    public <T> CompletableFuture<T> intercept(MbusTemplateOperation operation, Supplier<CompletableFuture<T>> next) {
        Observation observation = MbusObservationDocumentation.TEMPLATE_OBSERVATION.observation(convention,
                DefaultMbusTemplateObservationConvention.INSTANCE, () -> new MbusTemplateObservationContext(operation),
                registry).start();
        CompletableFuture<T> outcome;
        try (Observation.Scope scope = observation.openScope()) {
            outcome = next.get();
        } catch (RuntimeException | Error e) {
            observation.error(e);
            observation.stop();
            throw e;
        }
        return outcome.whenComplete((result, error) -> {
            if (error != null) {
                observation.error(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
            }
            observation.stop();
        });
    }
}
