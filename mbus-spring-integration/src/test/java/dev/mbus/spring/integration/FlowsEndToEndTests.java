package dev.mbus.spring.integration;

import static dev.mbus.spring.integration.IntegrationBus.APP;
import static dev.mbus.spring.integration.IntegrationBus.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.core.engine.IncomingCommand;
import dev.mbus.core.message.Command;
import dev.mbus.spring.annotation.MbusListener;
import dev.mbus.spring.core.MbusEngine;
import dev.mbus.spring.core.MbusOperations;
import dev.mbus.spring.support.MbusHeaders;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.dsl.IntegrationFlow;

/** Flows written with the DSL, from an Mbus inbound adapter to an Mbus outbound adapter, across applications. */
class FlowsEndToEndTests {

    private final IntegrationBus bus = new IntegrationBus();

    @AfterEach
    void closeBus() {
        bus.close();
    }

    /** The relay: {@code relay.double(n)} from anyone becomes {@code sink.got(2n)}, reliably, to the sink. */
    @Configuration(proxyBeanMethods = false)
    static class Relay {
        @Bean
        IntegrationFlow relayFlow(MbusEngine engine, MbusOperations template) {
            return IntegrationFlow.from(Mbus.inboundAdapter(engine).commands("relay.*").payloadType(Integer.class))
                    .<Integer, Integer>transform(n -> n * 2)
                    .handle(Mbus.outboundAdapter(template).destination("(app:sink)").command("sink.got").reliable(true))
                    .get();
        }
    }

    /** Another application, with a plain listener. */
    @Configuration(proxyBeanMethods = false)
    static class Sink {
        final BlockingQueue<Integer> got = new LinkedBlockingQueue<>();

        @MbusListener("sink.got")
        void got(int value) {
            got.add(value);
        }
    }

    @Test
    void aCommandRelayedThroughAFlowReachesAListenerOfAnotherApplication() {
        bus.runner("(app:sink)").withUserConfiguration(Sink.class).run(sink -> bus.runner().withUserConfiguration(Relay.class)
                .run(relay -> {
                    relay.getBean(MbusOperations.class).awaitDestination(
                            dev.mbus.core.message.Address.parse("(app:sink)"), WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                    bus.tester().sendReliable(APP, Command.of("relay.double", 21)).get(WAIT.toSeconds(), TimeUnit.SECONDS);

                    assertThat(sink.getBean(Sink.class).got.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(42);
                }));
    }

    /** The echo: answers every {@code echo.*} command to its sender, reliably, waiting for the acknowledgement. */
    @Configuration(proxyBeanMethods = false)
    static class Echo {
        @Bean
        IntegrationFlow echoFlow(MbusEngine engine, MbusOperations template) {
            return IntegrationFlow.from(Mbus.inboundAdapter(engine).commands("echo.*"))
                    .handle(Mbus.outboundAdapter(template).destinationExpression("headers['" + MbusHeaders.SOURCE + "']")
                            .command("note.echo").reliable(true))
                    .get();
        }
    }

    @Test
    void aFlowAnswersTheSenderReliablyAndWaitsForItsAcknowledgementOnTheHandlerThread() throws Exception {
        bus.runner().withUserConfiguration(Echo.class).run(context -> {
            bus.tester().sendReliable(APP, Command.of("echo.this", 1)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            bus.tester().sendReliable(APP, Command.of("echo.this", 2)).get(WAIT.toSeconds(), TimeUnit.SECONDS);

            IncomingCommand first = bus.nextReceived();
            IncomingCommand second = bus.nextReceived();
            assertThat(first.command()).isEqualTo(Command.of("note.echo", 1));
            assertThat(first.message().reliable()).isTrue();
            assertThat(second.command()).isEqualTo(Command.of("note.echo", 2));
        });
    }
}
