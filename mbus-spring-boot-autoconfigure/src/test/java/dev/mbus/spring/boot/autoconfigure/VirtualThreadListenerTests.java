package dev.mbus.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.spring.annotation.MbusListener;
import dev.mbus.spring.core.MbusEngine;
import dev.mbus.spring.test.MbusListenerTestHarness;
import dev.mbus.spring.test.MbusTestBus;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With {@code spring.threads.virtual.enabled=true} listener calls run on virtual threads, while
 * the engine's own receive and timer threads stay platform threads. Needs Java 21 (the main build
 * is Java 17: {@code .ci/run} runs this on the newest JDK of the machine).
 */
@EnabledForJreRange(min = JRE.JAVA_21)
class VirtualThreadListenerTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final MbusTestBus bus = MbusTestBus.create();

    @Test
    void listenerCallsRunOnVirtualThreadsAndTheEngineOnPlatformThreads() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(MbusAutoConfiguration.class))
                .withUserConfiguration(Listener.class)
                .withPropertyValues(bus.propertyValues("(app:virtual)"))
                .withPropertyValues("spring.threads.virtual.enabled=true")
                .run(context -> {
                    Listener listener = context.getBean(Listener.class);
                    Address app = Address.parse("(app:virtual)");
                    try (MbusEntity tester = bus.startEntity("(app:tester)")) {
                        tester.awaitPeer(app, WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                        tester.sendReliable(app, Command.of("test.where")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                        Thread caller = listener.caller.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                        assertThat(isVirtual(caller)).as("the listener's thread %s is virtual", caller).isTrue();
                        assertThat(caller.getName()).startsWith("mbus-listener-");
                    }
                    String id = context.getBean(MbusEngine.class).address().get("id");
                    List<Thread> engineThreads = threadsNamed("mbus-receive-" + bus.port(), "mbus-timer-" + id);
                    assertThat(engineThreads).extracting(Thread::getName).anyMatch(name -> name.startsWith("mbus-receive-"))
                            .anyMatch(name -> name.startsWith("mbus-timer-"));
                    for (Thread thread : engineThreads) {
                        assertThat(isVirtual(thread)).as("%s is a platform thread", thread).isFalse();
                    }
                });
    }

    /** Live threads whose names start with one of {@code prefixes}; {@code getAllStackTraces} lists platform threads only. */
    private static List<Thread> threadsNamed(String... prefixes) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> Arrays.stream(prefixes).anyMatch(thread.getName()::startsWith)).toList();
    }

    /** {@code Thread.isVirtual()}, which the Java 17 API the project compiles against does not have. */
    private static boolean isVirtual(Thread thread) throws ReflectiveOperationException {
        return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
    }

    @Configuration(proxyBeanMethods = false)
    static class Listener {
        final CompletableFuture<Thread> caller = new CompletableFuture<>();

        @Bean
        MbusListenerTestHarness harness() {
            return new MbusListenerTestHarness();
        }

        @MbusListener("test.where")
        void where() {
            caller.complete(Thread.currentThread());
        }
    }
}
