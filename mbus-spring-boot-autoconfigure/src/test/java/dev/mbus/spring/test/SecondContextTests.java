package dev.mbus.spring.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.spring.core.MbusEngine;
import org.junit.jupiter.api.Test;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The documented way to put a second application on a test bus. */
class SecondContextTests {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Ui {
    }

    @Test
    void aSecondApplicationJoinsTheTestBusWhateverItsOwnConfigurationSays() {
        MbusTestBus bus = MbusTestBus.create();
        try (ConfigurableApplicationContext ui = new SpringApplicationBuilder(Ui.class).web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF).logStartupInfo(false)
                .properties("spring.config.location=classpath:/test-support/application.properties")
                .initializers(bus.initializer("(app:ui)"))
                .run()) {
            MbusEngine engine = ui.getBean(MbusEngine.class);
            assertThat(engine.address().get("app")).isEqualTo("ui");
            assertThat(engine.transportInfo().port()).isEqualTo(bus.port());
            assertThat(engine.transportInfo().scope()).isEqualTo("HOSTLOCAL");
        }
    }
}
