package dev.mbus.spring.boot.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

import dev.mbus.spring.test.MbusTestBus;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * What a user sees when an application with the starter is misconfigured: Boot's "APPLICATION
 * FAILED TO START" report, found through {@code META-INF/spring.factories}, and no stack trace.
 */
@ExtendWith(OutputCaptureExtension.class)
class MbusFailureReportTests {

    @Test
    void aBadPortGivesTheReport(CapturedOutput output) {
        run("mbus.transport.port=99999");
        assertThat(output).contains("APPLICATION FAILED TO START", "Property: mbus.transport.port",
                "Value:    \"99999\"", "Action:", "Set mbus.transport.port");
        assertThat(stackTraceLines(output)).isZero();
    }

    @Test
    void aBadScopeGivesBootsBindingReport(CapturedOutput output) {
        run("mbus.transport.scope=GLOBAL");
        assertThat(output).contains("APPLICATION FAILED TO START", "mbus.transport.scope", "HOSTLOCAL", "LINKLOCAL");
        assertThat(stackTraceLines(output)).isZero();
    }

    private static void run(String property) {
        Map<String, Object> properties = new HashMap<>(MbusTestBus.create().properties());
        String[] pair = property.split("=", 2);
        properties.put(pair[0], pair[1]);
        SpringApplication application = new SpringApplication(App.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setDefaultProperties(Map.of("spring.main.banner-mode", "off"));
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        assertThatException().isThrownBy(() -> application.run(args));
    }

    private static long stackTraceLines(CapturedOutput output) {
        return Arrays.stream(output.getAll().split("\n")).filter(line -> line.startsWith("\tat ")).count();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }
}
