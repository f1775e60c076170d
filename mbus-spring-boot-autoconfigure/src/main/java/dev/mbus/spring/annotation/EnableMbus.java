package dev.mbus.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Import;

/**
 * Turns on {@link MbusListener @MbusListener} methods: registers the annotation post-processor
 * and the listener registry under fixed names (unless beans of those names exist). Spring Boot
 * applications do not need it: the auto-configuration applies it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Import(MbusListenerConfigurationRegistrar.class)
public @interface EnableMbus {
}
