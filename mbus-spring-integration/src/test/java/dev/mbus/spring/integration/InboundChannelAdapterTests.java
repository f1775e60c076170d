package dev.mbus.spring.integration;

import static dev.mbus.spring.integration.IntegrationBus.APP;
import static dev.mbus.spring.integration.IntegrationBus.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.core.engine.IncomingCommand;
import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.IntegerValue;
import dev.mbus.core.message.MbusValue;
import dev.mbus.core.message.StringValue;
import dev.mbus.spring.core.MbusEngine;
import dev.mbus.spring.support.MbusHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.channel.QueueChannel;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.MessagingException;
import org.springframework.messaging.support.ErrorMessage;

/** What the inbound adapter produces from the commands a peer sends. */
class InboundChannelAdapterTests {

    private final IntegrationBus bus = new IntegrationBus();

    @AfterEach
    void closeBus() {
        bus.close();
    }

    record Volume(int level, String unit) {
    }

    @Configuration(proxyBeanMethods = false)
    static class RawFlow {
        @Bean
        IntegrationFlow rawFlow(MbusEngine engine, QueueChannel out) {
            return IntegrationFlow.from(Mbus.inboundAdapter(engine).commands("tool.*")).channel(out).get();
        }
    }

    @Test
    void aCommandBecomesAMessageWithTheArgumentsAsPayloadAndTheMbusHeaders() {
        bus.runner().withUserConfiguration(TestChannels.class, RawFlow.class).run(context -> {
            MbusEntity tester = bus.tester();
            tester.sendReliable(APP, Command.of("tool.volume", 7, "dB")).get(WAIT.toSeconds(), TimeUnit.SECONDS);

            Message<?> message = context.getBean("out", QueueChannel.class).receive(WAIT.toMillis());

            assertThat(message).isNotNull();
            assertThat(message.getPayload()).isEqualTo(List.of(new IntegerValue(7), new StringValue("dB")));
            MessageHeaders headers = message.getHeaders();
            assertThat(headers.get(MbusHeaders.COMMAND)).isEqualTo("tool.volume");
            assertThat(headers.get(MbusHeaders.SOURCE)).isEqualTo(tester.address());
            assertThat(headers.get(MbusHeaders.DESTINATION)).isEqualTo(APP);
            assertThat(headers.get(MbusHeaders.RELIABLE)).isEqualTo(true);
            assertThat(headers.get(MbusHeaders.SEQUENCE)).isInstanceOf(Long.class);
            assertThat(headers.get(MbusHeaders.TIMESTAMP, Long.class)).isPositive();
            assertThat(headers.get(MbusHeaders.SENDER)).isEqualTo(tester.localEndpoint());
            assertThat(headers.get(MbusHeaders.INCOMING_COMMAND, IncomingCommand.class).command())
                    .isEqualTo(Command.of("tool.volume", 7, "dB"));
        });
    }

    @Test
    void theFlowRunsOnAnEngineHandlerThreadNotOnTheReceiveThread() {
        bus.runner().withUserConfiguration(TestChannels.class, ThreadFlow.class).run(context -> {
            bus.tester().sendReliable(APP, Command.of("tool.where")).get(WAIT.toSeconds(), TimeUnit.SECONDS);

            Message<?> message = context.getBean("out", QueueChannel.class).receive(WAIT.toMillis());

            assertThat(message).isNotNull();
            assertThat((String) message.getPayload()).startsWith("mbus-handler-").doesNotContain("receive");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class ThreadFlow {
        @Bean
        IntegrationFlow threadFlow(MbusEngine engine, QueueChannel out) {
            return IntegrationFlow.from(Mbus.inboundAdapter(engine).commands("tool.*"))
                    .transform(payload -> Thread.currentThread().getName()).channel(out).get();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class FilteredFlow {
        @Bean
        IntegrationFlow filteredFlow(MbusEngine engine, QueueChannel out) {
            return IntegrationFlow.from(Mbus.inboundAdapter(engine).commands("tool.rat.*", "exact").destination("(module:ui)"))
                    .channel(out).get();
        }
    }

    @Test
    void onlyCommandsMatchingThePatternsInMessagesToTheDestinationAreProduced() {
        bus.runner("(app:unit module:ui)").withUserConfiguration(TestChannels.class, FilteredFlow.class).run(context -> {
            MbusEntity tester = bus.tester();
            Address ui = Address.parse("(app:unit module:ui)");
            // In the sender's order: the adapter takes them one at a time as they were sent.
            tester.sendReliable(ui, Command.of("other.thing", 1)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            tester.sendReliable(APP, Command.of("tool.rat.volume", 2)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            tester.sendReliable(ui, Command.of("tool.rat", 3)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            tester.sendReliable(ui, Command.of("tool.rat.volume", 4)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            tester.sendReliable(ui, Command.of("exact", 5)).get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(commandsUntil(context.getBean("out", QueueChannel.class), "exact"))
                    .containsExactly("tool.rat.volume(4)", "exact(5)");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class EverythingFlow {
        @Bean
        IntegrationFlow everythingFlow(MbusEngine engine, QueueChannel out) {
            return IntegrationFlow.from(Mbus.inboundAdapter(engine)).channel(out).get();
        }
    }

    @Test
    void awarenessCommandsAreNotProducedByDefault() {
        bus.runner().withUserConfiguration(TestChannels.class, EverythingFlow.class).run(context -> {
            MbusEntity tester = bus.tester();
            tester.sendReliable(APP, Command.of("mbus.hello")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            tester.sendReliable(APP, Command.of("app.last", 1)).get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(commandsUntil(context.getBean("out", QueueChannel.class), "app.last")).containsExactly("app.last(1)");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class AwareFlow {
        @Bean
        IntegrationFlow awareFlow(MbusEngine engine, QueueChannel out) {
            return IntegrationFlow.from(Mbus.inboundAdapter(engine).includeAwareness(true)).channel(out).get();
        }
    }

    @Test
    void awarenessCommandsAreProducedWhenAskedFor() {
        bus.runner().withUserConfiguration(TestChannels.class, AwareFlow.class).run(context -> {
            MbusEntity tester = bus.tester();
            tester.sendReliable(APP, Command.of("mbus.hello")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            tester.sendReliable(APP, Command.of("app.last", 1)).get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(commandsUntil(context.getBean("out", QueueChannel.class), "app.last")).contains("mbus.hello()")
                    .endsWith("app.last(1)");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class ConvertingFlow {
        @Bean
        IntegrationFlow convertingFlow(MbusEngine engine, QueueChannel out, QueueChannel errors) {
            return IntegrationFlow.from(Mbus.inboundAdapter(engine).commands("tool.volume").payloadType(Volume.class)
                    .errorChannel(errors)).channel(out).get();
        }
    }

    @Test
    void thePayloadIsConvertedAsAListenerPayloadParameterAndWhatDoesNotConvertGoesToTheErrorChannel() {
        bus.runner().withUserConfiguration(TestChannels.class, ConvertingFlow.class).run(context -> {
            MbusEntity tester = bus.tester();
            tester.sendReliable(APP, Command.of("tool.volume", "loud", "dB")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            tester.sendReliable(APP, Command.of("tool.volume", 7, "dB")).get(WAIT.toSeconds(), TimeUnit.SECONDS);

            Message<?> error = context.getBean("errors", QueueChannel.class).receive(WAIT.toMillis());
            Message<?> converted = context.getBean("out", QueueChannel.class).receive(WAIT.toMillis());

            assertThat(error).isInstanceOf(ErrorMessage.class);
            MessagingException failure = (MessagingException) error.getPayload();
            assertThat(failure.getFailedMessage().getPayload())
                    .isEqualTo(List.of(new StringValue("loud"), new StringValue("dB")));
            assertThat(failure.getMessage()).contains("tool.volume", "Volume");
            assertThat(converted).isNotNull();
            assertThat(converted.getPayload()).isEqualTo(new Volume(7, "dB"));
            assertThat(converted.getHeaders().get(MbusHeaders.COMMAND)).isEqualTo("tool.volume");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class ThrowingFlow {
        @Bean
        IntegrationFlow throwingFlow(MbusEngine engine, QueueChannel out, QueueChannel errors) {
            return IntegrationFlow.from(Mbus.inboundAdapter(engine).commands("job.*").errorChannel(errors))
                    .handle(message -> {
                        if ("job.fail".equals(message.getHeaders().get(MbusHeaders.COMMAND))) {
                            throw new IllegalStateException("downstream failed");
                        }
                        out.send(message);
                    }).get();
        }
    }

    @Test
    void whatTheFlowThrowsGoesToTheErrorChannelAndTheAdapterGoesOn() {
        bus.runner().withUserConfiguration(TestChannels.class, ThrowingFlow.class).run(context -> {
            MbusEntity tester = bus.tester();
            tester.sendReliable(APP, Command.of("job.fail", 1)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            tester.sendReliable(APP, Command.of("job.fail", 2)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            tester.sendReliable(APP, Command.of("job.ok", 3)).get(WAIT.toSeconds(), TimeUnit.SECONDS);

            QueueChannel errors = context.getBean("errors", QueueChannel.class);
            for (int expected = 1; expected <= 2; expected++) {
                Message<?> error = errors.receive(WAIT.toMillis());
                assertThat(error).isInstanceOf(ErrorMessage.class);
                MessagingException failure = (MessagingException) error.getPayload();
                assertThat(failure).hasRootCauseMessage("downstream failed");
                assertThat(failure.getFailedMessage().getPayload()).isEqualTo(List.of(new IntegerValue(expected)));
            }
            Message<?> ok = context.getBean("out", QueueChannel.class).receive(WAIT.toMillis());
            assertThat(ok).isNotNull();
            assertThat(ok.getHeaders().get(MbusHeaders.COMMAND)).isEqualTo("job.ok");
        });
    }

    /** Between the engine's phase and the adapter's, a peer sends a command and has it acknowledged. */
    @Configuration(proxyBeanMethods = false)
    static class EarlyCommand {
        @Bean
        SmartLifecycle earlySender(IntegrationBus bus) {
            return new SmartLifecycle() {
                private volatile boolean running;

                @Override
                public void start() {
                    try {
                        bus.tester().sendReliable(APP, Command.of("tool.early", 1)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    running = true;
                }

                @Override
                public void stop() {
                    running = false;
                }

                @Override
                public boolean isRunning() {
                    return running;
                }

                @Override
                public int getPhase() {
                    return MbusEngine.DEFAULT_PHASE + 1;
                }
            };
        }
    }

    @Test
    void aCommandAcknowledgedBeforeTheAdaptersPhaseIsNotLost() {
        bus.runner().withBean(IntegrationBus.class, () -> bus)
                .withUserConfiguration(TestChannels.class, RawFlow.class, EarlyCommand.class).run(context -> {
                    Message<?> early = context.getBean("out", QueueChannel.class).receive(WAIT.toMillis());

                    assertThat(early).isNotNull();
                    assertThat(early.getHeaders().get(MbusHeaders.COMMAND)).isEqualTo("tool.early");
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class ManualFlow {
        @Bean
        IntegrationFlow manualFlow(MbusEngine engine, QueueChannel out) {
            return IntegrationFlow.from(Mbus.inboundAdapter(engine).commands("tool.*").autoStartup(false).id("manual"))
                    .channel(out).get();
        }
    }

    @Test
    void anAdapterThatDoesNotStartWithTheContextProducesOnlyOnceStartedAndNoMoreOnceStopped() {
        bus.runner().withUserConfiguration(TestChannels.class, ManualFlow.class).run(context -> {
            MbusEntity tester = bus.tester();
            MbusInboundChannelAdapter adapter = context.getBean("manual", MbusInboundChannelAdapter.class);
            QueueChannel out = context.getBean("out", QueueChannel.class);
            tester.sendReliable(APP, Command.of("tool.before", 1)).get(WAIT.toSeconds(), TimeUnit.SECONDS);

            adapter.start();
            tester.sendReliable(APP, Command.of("tool.while", 2)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            Message<?> whileRunning = out.receive(WAIT.toMillis());
            adapter.stop();
            tester.sendReliable(APP, Command.of("tool.after", 3)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            adapter.start();
            tester.sendReliable(APP, Command.of("tool.again", 4)).get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(whileRunning.getHeaders().get(MbusHeaders.COMMAND)).isEqualTo("tool.while");
            assertThat(commandsUntil(out, "tool.again")).containsExactly("tool.again(4)");
        });
    }

    /** The commands received, as {@code name(args)}, up to and including the first called {@code last}. */
    private static List<String> commandsUntil(QueueChannel channel, String last) {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Message<?> message = channel.receive(WAIT.toMillis());
            assertThat(message).as("a message after " + seen).isNotNull();
            String command = (String) message.getHeaders().get(MbusHeaders.COMMAND);
            @SuppressWarnings("unchecked")
            List<MbusValue> args = (List<MbusValue>) message.getPayload();
            seen.add(command + "(" + String.join(", ", args.stream().map(MbusValue::toString).toList()) + ")");
            if (command.equals(last)) {
                return seen;
            }
        }
        throw new AssertionError("No " + last + " among " + seen);
    }
}
