package dev.mbus.spring.test;

import java.util.List;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/** Applies {@link EmbeddedMbus @EmbeddedMbus}; registered in {@code META-INF/spring.factories}. */
public class EmbeddedMbusContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        EmbeddedMbus annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass, EmbeddedMbus.class);
        return annotation == null ? null : new EmbeddedMbusContextCustomizer(annotation.address());
    }
}
