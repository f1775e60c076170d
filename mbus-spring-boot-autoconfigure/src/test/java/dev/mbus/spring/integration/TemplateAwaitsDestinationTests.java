package dev.mbus.spring.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mbus.core.DeliveryException;
import dev.mbus.core.awareness.Peer;
import dev.mbus.core.engine.EntityConfig;
import dev.mbus.core.engine.IncomingCommand;
import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.message.Address;
import dev.mbus.core.security.CipherAlgorithm;
import dev.mbus.core.security.HashAlgorithm;
import dev.mbus.core.security.MbusKeys;
import dev.mbus.core.transport.Scope;
import dev.mbus.core.transport.TransportSettings;
import dev.mbus.spring.boot.autoconfigure.MbusAutoConfiguration;
import dev.mbus.spring.core.MbusOperations;
import dev.mbus.spring.core.MbusTemplate;
import dev.mbus.spring.test.MbusTestBus;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Right after start-up the destination may not have been heard yet: the template can wait for
 * it ({@code mbus.template.await-destination}, or {@link MbusOperations#awaitDestination}) rather
 * than fail at once or send to nobody.
 */
class TemplateAwaitsDestinationTests {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Address LATE = Address.parse("(app:late)");

    private final MbusTestBus bus = MbusTestBus.create();
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MbusAutoConfiguration.class))
            .withPropertyValues(bus.propertyValues("(app:early)"));

    @Test
    void aReliableSendWaitsForADestinationHeardAfterIt() {
        runner.withPropertyValues("mbus.template.await-destination=30s").run(context -> {
            MbusOperations template = context.getBean(MbusOperations.class);
            CompletableFuture<Void> sent = template.convertAndSendReliable(LATE, "late.volume", 42);
            assertThat(sent).isNotDone();
            BlockingQueue<IncomingCommand> received = new LinkedBlockingQueue<>();
            try (MbusEntity late = startListening(received)) {
                sent.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertReceived(received, "late.volume");
            }
        });
    }

    @Test
    void anUnreliableSendWaitsOnTheCallersThread() {
        runner.withPropertyValues("mbus.template.await-destination=30s").run(context -> {
            MbusOperations template = context.getBean(MbusOperations.class);
            CompletableFuture<Void> sent = new CompletableFuture<>();
            Thread sender = new Thread(() -> {
                template.convertAndSend(LATE, "late.tick", 1);
                sent.complete(null);
            }, "sender");
            sender.start();
            // The late entity joins only once the send waits for it, so that it cannot hear a send made at once.
            await().atMost(WAIT).until(() -> sender.getState() == Thread.State.WAITING || !sender.isAlive());
            assertThat(sent).as("the send returned before its destination was heard").isNotDone();
            BlockingQueue<IncomingCommand> received = new LinkedBlockingQueue<>();
            try (MbusEntity late = startListening(received)) {
                sent.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertReceived(received, "late.tick");
            }
        });
    }

    @Test
    void anExplicitWaitThenASend() {
        runner.run(context -> {
            MbusOperations template = context.getBean(MbusOperations.class);
            CompletableFuture<Void> sent = template.awaitDestination(LATE, WAIT)
                    .thenCompose(peer -> template.convertAndSendReliable(LATE, "late.volume", 7));
            BlockingQueue<IncomingCommand> received = new LinkedBlockingQueue<>();
            try (MbusEntity late = startListening(received)) {
                CompletableFuture<Peer> known = template.awaitDestination(LATE, WAIT);
                sent.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(known.get(WAIT.toSeconds(), TimeUnit.SECONDS).address()).isEqualTo(late.address());
                assertThat(received.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isNotNull();
            }
        });
    }

    @Test
    void aDestinationNeverHeardFailsAfterTheWaitNamingIt() {
        runner.withPropertyValues("mbus.template.await-destination=100ms").run(context -> {
            MbusOperations template = context.getBean(MbusOperations.class);
            assertThatThrownBy(() -> template.convertAndSendReliable(LATE, "late.volume", 1)
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(DeliveryException.class)
                    .hasMessageContaining("(app:late)").hasMessageContaining("mbus.template.await-destination")
                    .satisfies(e -> assertThat(((DeliveryException) e).reason())
                            .isEqualTo(DeliveryException.Reason.UNKNOWN_DESTINATION));
            assertThatExceptionOfType(DeliveryException.class)
                    .isThrownBy(() -> template.convertAndSend(LATE, "late.tick", 1))
                    .satisfies(e -> assertThat(e.reason()).isEqualTo(DeliveryException.Reason.UNKNOWN_DESTINATION));
        });
    }

    @Test
    void theWaitIsBoundFromItsProperty() {
        runner.withPropertyValues("mbus.template.await-destination=3s").run(context ->
                assertThat(context.getBean(MbusTemplate.class).getAwaitDestination()).isEqualTo(Duration.ofSeconds(3)));
    }

    /** {@code convertAndSend("(app:x)", "engine.volume", 42)} does not compile: no send takes a String first. */
    @Test
    void noSendTakesAStringWhereADestinationGoes() {
        assertThatExceptionOfType(NoSuchMethodException.class)
                .isThrownBy(() -> MbusOperations.class.getMethod("convertAndSend", String.class, Object[].class));
        assertThatExceptionOfType(NoSuchMethodException.class)
                .isThrownBy(() -> MbusOperations.class.getMethod("convertAndSendReliable", String.class, Object[].class));
    }

    private static void assertReceived(BlockingQueue<IncomingCommand> received, String name) throws InterruptedException {
        IncomingCommand command = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(command).as("a command received").isNotNull();
        assertThat(command.name()).isEqualTo(name);
    }

    /** The late entity, listening before it joins, so that nothing sent on its first hello is missed. */
    private MbusEntity startListening(BlockingQueue<IncomingCommand> received) {
        MbusKeys keys = new MbusKeys(HashAlgorithm.HMAC_MD5_96,
                Base64.getDecoder().decode(bus.properties().get("mbus.security.hash-key")), CipherAlgorithm.NOENCR, null);
        MbusEntity late = MbusEntity.create(EntityConfig.builder().address(LATE).keys(keys)
                .transportSettings(TransportSettings.defaults().withPort(bus.port())
                        .withNetworkInterface(InetAddress.getLoopbackAddress().getHostAddress())
                        .withScope(Scope.HOSTLOCAL))
                .build());
        late.subscribe("late.*", received::add);
        late.start();
        return late;
    }
}
