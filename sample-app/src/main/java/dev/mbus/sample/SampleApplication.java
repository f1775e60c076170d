package dev.mbus.sample;

import dev.mbus.spring.listener.MbusListenerRegistryCustomizer;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/**
 * The Mbus sample: a media player and the controller that drives it, two roles of one
 * application that find each other on the bus.
 *
 * <p>Run it with no configuration at all ({@code mvn -q -pl sample-app -am spring-boot:run}): it
 * joins the default bus on the loopback interface as the player, with the keys of {@code $MBUS}
 * or {@code ~/.mbus} (created when missing), and serves a page on http://localhost:8080. A
 * second instance with the profile {@code controller} (port 8081) sends it commands.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }

    /** Every listener's failures go to {@link RejectedCommands} instead of the starter's logging default. */
    @Bean
    MbusListenerRegistryCustomizer rejectedCommandsHandleListenerErrors(RejectedCommands rejectedCommands) {
        return registry -> registry.setDefaultErrorHandler(rejectedCommands);
    }
}
