package dev.mbus.spring.integration;

import static dev.mbus.spring.integration.IntegrationBus.TESTER;
import static dev.mbus.spring.integration.IntegrationBus.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mbus.core.DeliveryException;
import dev.mbus.core.engine.IncomingCommand;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.IntegerValue;
import dev.mbus.core.message.StringValue;
import dev.mbus.spring.core.MbusOperations;
import dev.mbus.spring.support.MbusHeaders;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.channel.QueueChannel;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHandlingException;
import org.springframework.messaging.MessagingException;
import org.springframework.messaging.support.ErrorMessage;
import org.springframework.messaging.support.MessageBuilder;

/** What the outbound adapter sends, as a peer on the bus receives it. */
class MessageHandlerTests {

    private final IntegrationBus bus = new IntegrationBus();

    @AfterEach
    void closeBus() {
        bus.close();
    }

    /** From headers only: the adapter as the bridge uses it. */
    @Configuration(proxyBeanMethods = false)
    static class HeadersFlow {
        @Bean
        IntegrationFlow headersFlow(MbusOperations template) {
            return flow -> flow.handle(Mbus.outboundAdapter(template));
        }
    }

    @Test
    void withoutExpressionsTheHeadersSayWhereWhatAndHow() throws Exception {
        bus.runner().withUserConfiguration(TestChannels.class, HeadersFlow.class).run(context -> {
            bus.tester();
            DirectChannel input = context.getBean("headersFlow.input", DirectChannel.class);

            input.send(MessageBuilder.withPayload(List.of(7, "dB")).setHeader(MbusHeaders.DESTINATION, "(app:tester)")
                    .setHeader(MbusHeaders.COMMAND, "note.unreliable").build());
            input.send(MessageBuilder.withPayload(42).setHeader(MbusHeaders.DESTINATION, TESTER)
                    .setHeader(MbusHeaders.COMMAND, "note.reliable").setHeader(MbusHeaders.RELIABLE, true).build());

            IncomingCommand unreliable = bus.nextReceived();
            assertThat(unreliable.command()).isEqualTo(Command.of("note.unreliable", 7, "dB"));
            assertThat(unreliable.message().reliable()).isFalse();
            IncomingCommand reliable = bus.nextReceived();
            assertThat(reliable.command()).isEqualTo(Command.of("note.reliable", 42));
            assertThat(reliable.message().reliable()).isTrue();
        });
    }

    @Test
    void aCommandPayloadIsSentAsItIsAndMbusValuesAsTheArguments() {
        bus.runner().withUserConfiguration(TestChannels.class, HeadersFlow.class).run(context -> {
            bus.tester();
            DirectChannel input = context.getBean("headersFlow.input", DirectChannel.class);

            input.send(MessageBuilder.withPayload(Command.of("note.command", 1))
                    .setHeader(MbusHeaders.DESTINATION, TESTER).setHeader(MbusHeaders.COMMAND, "ignored").build());
            input.send(MessageBuilder.withPayload(List.of(new IntegerValue(2), new StringValue("x")))
                    .setHeader(MbusHeaders.DESTINATION, TESTER).setHeader(MbusHeaders.COMMAND, "note.values").build());
            input.send(MessageBuilder.withPayload(new Object[] {3, "y"})
                    .setHeader(MbusHeaders.DESTINATION, TESTER).setHeader(MbusHeaders.COMMAND, "note.array").build());

            assertThat(bus.nextReceived().command()).isEqualTo(Command.of("note.command", 1));
            assertThat(bus.nextReceived().command()).isEqualTo(Command.of("note.values", 2, "x"));
            assertThat(bus.nextReceived().command()).isEqualTo(Command.of("note.array", 3, "y"));
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class ExpressionsFlow {
        @Bean
        IntegrationFlow expressionsFlow(MbusOperations template) {
            return flow -> flow.handle(Mbus.outboundAdapter(template).destinationExpression("headers.to")
                    .command(message -> "note." + message.getHeaders().get("kind"))
                    .reliable(message -> message.getPayload() instanceof Integer));
        }
    }

    @Test
    void expressionsOverrideTheHeaders() {
        bus.runner().withUserConfiguration(TestChannels.class, ExpressionsFlow.class).run(context -> {
            bus.tester();
            DirectChannel input = context.getBean("expressionsFlow.input", DirectChannel.class);

            input.send(MessageBuilder.withPayload(5).setHeader("to", "(app:tester)").setHeader("kind", "number")
                    .setHeader(MbusHeaders.DESTINATION, "(app:elsewhere)").setHeader(MbusHeaders.COMMAND, "other")
                    .setHeader(MbusHeaders.RELIABLE, false).build());
            input.send(MessageBuilder.withPayload("text").setHeader("to", "(app:tester)").setHeader("kind", "text")
                    .setHeader(MbusHeaders.RELIABLE, true).build());

            IncomingCommand number = bus.nextReceived();
            assertThat(number.command()).isEqualTo(Command.of("note.number", 5));
            assertThat(number.message().reliable()).isTrue();
            IncomingCommand text = bus.nextReceived();
            assertThat(text.command()).isEqualTo(Command.of("note.text", "text"));
            assertThat(text.message().reliable()).isFalse();
        });
    }

    /** Remembers the future of the last send through the template it wraps. */
    static final class LastSend {
        final AtomicReference<CompletableFuture<?>> future = new AtomicReference<>();

        MbusOperations wrap(MbusOperations template) {
            return (MbusOperations) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {MbusOperations.class}, (proxy, method, args) -> {
                        try {
                            Object result = method.invoke(template, args);
                            if (result instanceof CompletableFuture<?> pending) {
                                future.set(pending);
                            }
                            return result;
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        boolean done() {
            CompletableFuture<?> last = future.get();
            return last != null && last.isDone();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SyncFlow {
        @Bean
        LastSend lastSend() {
            return new LastSend();
        }

        /** Passes on, after the send, whether the send was done (acknowledged or failed) by then. */
        @Bean
        IntegrationFlow syncFlow(MbusOperations template, LastSend lastSend, QueueChannel sent) {
            return flow -> flow.handle(Mbus.outboundAdapter(lastSend.wrap(template)).command("note.sync").reliable(true))
                    .transform(Message.class, message -> MessageBuilder.fromMessage(message)
                            .setHeader("sendDone", lastSend.done()).build())
                    .channel(sent);
        }
    }

    @Test
    void aReliableSendIsAcknowledgedBeforeTheFlowGoesOn() {
        bus.runner().withUserConfiguration(TestChannels.class, SyncFlow.class).run(context -> {
            bus.tester();
            DirectChannel input = context.getBean("syncFlow.input", DirectChannel.class);
            Message<String> message = MessageBuilder.withPayload("hello").setHeader(MbusHeaders.DESTINATION, TESTER)
                    .build();

            input.send(message);

            Message<?> after = context.getBean("sent", QueueChannel.class).receive(0);
            assertThat(after).as("went on before send returned, on this thread").isNotNull();
            assertThat(after.getPayload()).isEqualTo("hello");
            assertThat(after.getHeaders().get("sendDone")).as("acknowledged before the flow went on").isEqualTo(true);
            assertThat(bus.nextReceived().command()).isEqualTo(Command.of("note.sync", "hello"));
        });
    }

    @Test
    void aReliableSendToAnAbsentDestinationFailsTheSend() {
        bus.runner().withUserConfiguration(TestChannels.class, SyncFlow.class).run(context -> {
            DirectChannel input = context.getBean("syncFlow.input", DirectChannel.class);
            Message<String> message = MessageBuilder.withPayload("hello")
                    .setHeader(MbusHeaders.DESTINATION, "(app:nobody)").build();

            assertThatThrownBy(() -> input.send(message)).isInstanceOf(MessageHandlingException.class)
                    .hasCauseInstanceOf(DeliveryException.class)
                    .satisfies(e -> assertThat(((MessagingException) e).getFailedMessage()).isSameAs(message));
            assertThat(context.getBean("sent", QueueChannel.class).receive(0)).isNull();
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class AsyncFlow {
        @Bean
        IntegrationFlow asyncFlow(MbusOperations template) {
            return flow -> flow.handle(Mbus.outboundAdapter(template).command("note.async").reliable(true).async(true));
        }

        @Bean
        IntegrationFlow asyncWithOutputFlow(MbusOperations template, QueueChannel sent) {
            return flow -> flow.handle(Mbus.outboundAdapter(template).command("note.async").reliable(true).async(true))
                    .channel(sent);
        }
    }

    @Test
    void anAsynchronousReliableSendThatFailsEndsOnTheErrorChannel() {
        bus.runner().withUserConfiguration(TestChannels.class, AsyncFlow.class).run(context -> {
            DirectChannel input = context.getBean("asyncFlow.input", DirectChannel.class);
            QueueChannel errors = context.getBean("errors", QueueChannel.class);
            Message<String> message = MessageBuilder.withPayload("lost")
                    .setHeader(MbusHeaders.DESTINATION, "(app:nobody)").setErrorChannel(errors).build();

            input.send(message); // does not throw: the outcome comes later

            Message<?> error = errors.receive(WAIT.toMillis());
            assertThat(error).isInstanceOf(ErrorMessage.class);
            MessagingException failure = (MessagingException) error.getPayload();
            assertThat(failure.getFailedMessage()).isSameAs(message);
            assertThat(failure).hasCauseInstanceOf(DeliveryException.class);
        });
    }

    @Test
    void anAsynchronousReliableSendGoesOnToTheOutputChannelOnceAcknowledged() {
        bus.runner().withUserConfiguration(TestChannels.class, AsyncFlow.class).run(context -> {
            bus.tester();
            DirectChannel input = context.getBean("asyncWithOutputFlow.input", DirectChannel.class);

            input.send(MessageBuilder.withPayload("later").setHeader(MbusHeaders.DESTINATION, TESTER).build());

            Message<?> after = context.getBean("sent", QueueChannel.class).receive(WAIT.toMillis());
            assertThat(after).isNotNull();
            assertThat(after.getPayload()).isEqualTo("later");
            assertThat(bus.nextReceived().command()).isEqualTo(Command.of("note.async", "later"));
        });
    }

    @Test
    void noCommandNameFailsWithAClearError() {
        bus.runner().withUserConfiguration(TestChannels.class, HeadersFlow.class).run(context -> {
            DirectChannel input = context.getBean("headersFlow.input", DirectChannel.class);

            assertThatThrownBy(() -> input.send(MessageBuilder.withPayload(1)
                    .setHeader(MbusHeaders.DESTINATION, Address.parse("(app:tester)")).build()))
                    .isInstanceOf(MessageHandlingException.class).hasMessageContaining(MbusHeaders.COMMAND);
        });
    }
}
