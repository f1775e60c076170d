package dev.mbus.spring.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mbus.core.DeliveryException;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.StringValue;
import dev.mbus.spring.annotation.MbusListener;
import dev.mbus.spring.support.BusFixture;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;

/** Listeners that return a future or a Mono reply when it completes. */
class AsyncReplyTests {

    private final BusFixture fixture = new BusFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    public record Status(String what, int tracks) {
    }

    static class Listeners {
        final CompletableFuture<Status> pending = new CompletableFuture<>();

        @MbusListener("async.status")
        CompletableFuture<Status> status() {
            return pending;
        }

        @MbusListener("async.mono")
        Mono<String> mono(String text) {
            return Mono.fromSupplier(() -> text + "!").delayElement(Duration.ofMillis(20));
        }

        @MbusListener("async.fail")
        CompletableFuture<String> fail() {
            return CompletableFuture.failedFuture(new IllegalStateException("no disk"));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class App {
        @Bean
        Listeners listeners() {
            return new Listeners();
        }
    }

    @Test
    void theReplyGoesWhenTheFutureCompletes() {
        fixture.runner().withUserConfiguration(App.class).run(context -> {
            Listeners listeners = context.getBean(Listeners.class);
            CompletableFuture<dev.mbus.core.engine.IncomingCommand> reply = fixture.tester()
                    .request(BusFixture.APP, Command.of("async.status"), BusFixture.WAIT);
            MbusListenerContainer container = context.getBean(MbusListenerEndpointRegistry.class)
                    .getListenerContainer("listeners.status");
            org.awaitility.Awaitility.await().atMost(BusFixture.WAIT).until(() -> container.getInvocationCount() == 1);
            assertThat(reply).isNotDone();
            assertThat(container.getActiveCount()).isOne(); // a graceful stop waits for it
            listeners.pending.complete(new Status("playing", 3));
            assertThat(reply.get(BusFixture.WAIT.toSeconds(), TimeUnit.SECONDS).command().args())
                    .containsExactly(new StringValue("playing"), new dev.mbus.core.message.IntegerValue(3));
            org.awaitility.Awaitility.await().atMost(BusFixture.WAIT).until(() -> container.getActiveCount() == 0);
        });
    }

    @Test
    void aMonoRepliesWithItsValue() {
        fixture.runner().withUserConfiguration(App.class).run(context ->
                assertThat(fixture.request("async.mono", "hi").command().args()).containsExactly(new StringValue("hi!")));
    }

    @Test
    void aFailedFutureGoesToTheErrorHandlerAndTheRequesterLearnsNoReplyWasSent() {
        fixture.runner().withUserConfiguration(App.class).run(context -> {
            assertThatThrownBy(() -> fixture.tester().request(BusFixture.APP, Command.of("async.fail"),
                    Duration.ofMillis(1500)).get(BusFixture.WAIT.toSeconds(), TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(DeliveryException.class)
                    .hasMessageContaining("acknowledged async.fail but sent no async.fail.return");
            assertThat(context.getBean(MbusListenerEndpointRegistry.class).getListenerContainer("listeners.fail")
                    .getErrorCount()).isOne();
        });
    }
}
