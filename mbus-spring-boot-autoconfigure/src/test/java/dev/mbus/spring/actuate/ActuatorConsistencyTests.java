package dev.mbus.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.message.Command;
import dev.mbus.spring.actuate.endpoint.MbusEndpoint;
import dev.mbus.spring.actuate.metrics.MbusMetrics;
import dev.mbus.spring.annotation.MbusListener;
import dev.mbus.spring.boot.autoconfigure.MbusAutoConfiguration;
import dev.mbus.spring.boot.autoconfigure.endpoint.MbusEndpointAutoConfiguration;
import dev.mbus.spring.boot.autoconfigure.health.MbusHealthContributorAutoConfiguration;
import dev.mbus.spring.boot.autoconfigure.metrics.MbusMetricsAutoConfiguration;
import dev.mbus.spring.test.MbusTestBus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Health, the {@code mbus} endpoint and the meters say the same thing the same way. */
class ActuatorConsistencyTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final MbusTestBus bus = MbusTestBus.create();
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MbusAutoConfiguration.class,
                    MbusHealthContributorAutoConfiguration.class, MbusMetricsAutoConfiguration.class,
                    MbusEndpointAutoConfiguration.class))
            .withPropertyValues(bus.propertyValues("(app:unit)"))
            .withPropertyValues("management.endpoints.web.exposure.include=mbus");

    @Test
    void peerEndpointsAreWrittenAlikeInHealthAndTheEndpoint() {
        runner.run(context -> {
            try (MbusEntity peer = bus.startEntity("(app:peer)")) {
                MbusEndpoint endpoint = context.getBean(MbusEndpoint.class);
                await().atMost(WAIT).until(() -> !endpoint.mbus().peers().isEmpty());
                String shown = endpoint.mbus().peers().get(0).endpoint();
                assertThat(shown).isEqualTo("127.0.0.1:" + peer.localEndpoint().getPort());

                @SuppressWarnings("unchecked")
                List<Map<String, Object>> healthPeers = (List<Map<String, Object>>) context
                        .getBean(HealthIndicator.class).health().getDetails().get("peers");
                assertThat(healthPeers).extracting(detail -> detail.get("endpoint")).containsExactly(shown);
            }
        });
    }

    @Test
    void listenerCallsAndFailuresCountTheSameInTheEndpointAndTheMeters() {
        runner.withUserConfiguration(FailingListener.class).run(context -> {
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            context.getBean(MbusMetrics.class).bindTo(meters);
            MbusEndpoint endpoint = context.getBean(MbusEndpoint.class);
            try (MbusEntity tester = bus.startEntity("(app:tester)")) {
                tester.awaitPeer(context.getBean(dev.mbus.spring.core.MbusEngine.class).address(), WAIT).get();
                tester.sendReliable(dev.mbus.core.message.Address.parse("(app:unit)"), Command.of("unit.fail")).get();
                await().atMost(WAIT).until(() -> endpoint.mbus().counters().get("listenerErrors") > 0);
            }
            Map<String, Long> counters = endpoint.mbus().counters();
            assertThat(counters).containsEntry("listenerInvocations", 1L).containsEntry("listenerErrors", 1L);
            assertThat(meters.get("mbus.listener.invocations").counters()).map(Counter::count).containsExactly(1.0);
            assertThat(meters.get("mbus.listener.errors").counters()).map(Counter::count).containsExactly(1.0);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class FailingListener {
        @Bean
        Failing failing() {
            return new Failing();
        }
    }

    static class Failing {
        @MbusListener("unit.fail")
        void fail() {
            throw new IllegalStateException("fails on purpose");
        }
    }
}
