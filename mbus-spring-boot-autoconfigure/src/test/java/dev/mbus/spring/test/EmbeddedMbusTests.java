package dev.mbus.spring.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.core.engine.IncomingCommand;
import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.IntegerValue;
import dev.mbus.core.message.MbusValue;
import dev.mbus.spring.annotation.MbusListener;
import dev.mbus.spring.core.MbusEngine;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

@SpringBootTest(classes = EmbeddedMbusTests.App.class)
@EmbeddedMbus(address = "(app:embedded)")
class EmbeddedMbusTests {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        Volume volume() {
            return new Volume();
        }
    }

    static class Volume {
        @MbusListener("tool.rat.volume")
        int volume(int level) {
            return level * 2;
        }
    }

    private static final Address APP = Address.parse("(app:embedded)");

    @Autowired
    MbusListenerTestHarness harness;

    /** An entity on the test bus that has heard the context's entity: an entity never hears itself. */
    private MbusEntity testerThatHeardTheApp() throws Exception {
        MbusEntity tester = bus.startEntity("(app:tester)");
        try {
            tester.awaitPeer(APP, Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);
            return tester;
        } catch (Exception | AssertionError e) {
            tester.close();
            throw e;
        }
    }

    @Test
    void aTestEntitySendsToTheContextsListeners() throws Exception {
        harness.reset();
        try (MbusEntity tester = testerThatHeardTheApp()) {
            IncomingCommand reply = tester.request(APP, Command.of("tool.rat.volume", 7), Duration.ofSeconds(5))
                    .get(5, TimeUnit.SECONDS);
            assertThat(reply.command().args()).containsExactly(new IntegerValue(14));
        }
        MbusListenerTestHarness.Invocation call = harness.awaitInvocation("volume.volume", Duration.ofSeconds(5));
        assertThat(call.arguments()).containsExactly(7); // the int the method took, not the wire's 7L
        assertThat(call.result()).isEqualTo(14);
    }

    @Test
    void theHarnessAwaitsByCommandNameAsWellAsByListenerId() throws Exception {
        harness.reset();
        try (MbusEntity tester = testerThatHeardTheApp()) {
            tester.sendReliable(APP, Command.of("tool.rat.volume", 3)).get(5, TimeUnit.SECONDS);
            tester.sendReliable(APP, Command.of("tool.rat.volume", "loud")).get(5, TimeUnit.SECONDS);
        }
        MbusListenerTestHarness.Invocation first = harness.awaitCommand("tool.rat.volume", Duration.ofSeconds(5));
        assertThat(first.listenerId()).isEqualTo("volume.volume");
        assertThat(first.arguments()).containsExactly(3);
        MbusListenerTestHarness.Invocation second = harness.awaitCommand("tool.rat.volume", Duration.ofSeconds(5));
        assertThat(second.failed()).isTrue();
        assertThat(second.arguments()).isEmpty(); // "loud" is no int: the method was never called
        assertThat(second.command().command().args()).extracting(MbusValue::toJava).containsExactly("loud");
        // Each way of waiting counts on its own.
        assertThat(harness.awaitInvocation("volume.volume", Duration.ofSeconds(5))).isSameAs(first);
    }

    @Autowired
    Environment environment;

    @Autowired
    MbusTestBus bus;

    @Autowired
    MbusEngine engine;

    @Test
    void theContextIsOnAPrivateLoopbackBus() {
        assertThat(environment.getProperty("mbus.transport.port", Integer.class)).isEqualTo(bus.port());
        assertThat(engine.transportInfo().port()).isEqualTo(bus.port());
        assertThat(engine.transportInfo().networkInterface()).isEqualTo("lo");
        assertThat(engine.transportInfo().scope()).isEqualTo("HOSTLOCAL");
        assertThat(environment.getProperty("mbus.security.hash-key")).isNotBlank();
        assertThat(bus.toString()).doesNotContain(environment.getProperty("mbus.security.hash-key"));
    }

    @Test
    void customizersOnlyForAnnotatedClassesAndEqualByAddress() {
        EmbeddedMbusContextCustomizerFactory factory = new EmbeddedMbusContextCustomizerFactory();
        assertThat(factory.createContextCustomizer(String.class, List.of())).isNull();
        assertThat(factory.createContextCustomizer(EmbeddedMbusTests.class, List.of()))
                .isEqualTo(new EmbeddedMbusContextCustomizer("(app:embedded)"))
                .isNotEqualTo(new EmbeddedMbusContextCustomizer("(app:other)"));
    }

    @Test
    void everyBusIsNew() {
        MbusTestBus other = MbusTestBus.create();
        assertThat(other.properties().get("mbus.security.hash-key"))
                .isNotEqualTo(bus.properties().get("mbus.security.hash-key"));
    }

    @Test
    void theHarnessTimesOutWithWhatItSaw() {
        MbusListenerTestHarness harness = new MbusListenerTestHarness();
        try {
            harness.awaitInvocation("none", Duration.ofMillis(50));
            throw new IllegalStateException("expected a timeout");
        } catch (AssertionError expected) {
            assertThat(expected).hasMessageContaining("No Mbus listener call for listener 'none'");
        }
    }
}
