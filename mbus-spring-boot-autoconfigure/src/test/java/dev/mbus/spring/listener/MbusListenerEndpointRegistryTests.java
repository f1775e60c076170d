package dev.mbus.spring.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mbus.core.engine.IncomingCommand;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.Message;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;

/** How stopping the registry waits for the listener calls that are running. */
class MbusListenerEndpointRegistryTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final MbusListenerEndpointRegistry registry = new MbusListenerEndpointRegistry();
    private final BlockingListener listener = new BlockingListener();
    private final AtomicInteger callbacks = new AtomicInteger();
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** A listener whose calls run until the test lets them go. */
    public static final class BlockingListener {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicBoolean finished = new AtomicBoolean();

        public void work() throws InterruptedException {
            entered.countDown();
            release.await();
            finished.set(true);
        }
    }

    @AfterEach
    void releaseListener() {
        listener.release.countDown();
    }

    /** Starts a call of the listener on its own thread, as the engine's handler thread would. */
    private Thread runningCall() throws Exception {
        MbusListenerContainer container = registry.registerListenerContainer(MbusListenerEndpoint.builder("blocking")
                .commands(List.of("test.block"))
                .handlerMethod(new InvocableHandlerMethod(listener, BlockingListener.class.getMethod("work")))
                .build());
        Message message = new Message(1, 1_000, true, Address.parse("(app:sender)"), Address.BROADCAST, List.of(),
                List.of(Command.of("test.block")));
        IncomingCommand incoming = new IncomingCommand(message.commands().get(0), message,
                new InetSocketAddress("127.0.0.1", 47000));
        Thread call = new Thread(() -> container.onCommand(incoming), "listener-call");
        call.start();
        assertThat(listener.entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        return call;
    }

    private Thread stopping() {
        Thread stopper = new Thread(() -> registry.stop(() -> {
            callbacks.incrementAndGet();
            stopped.countDown();
        }), "registry-stop");
        stopper.start();
        return stopper;
    }

    @Test
    void stopCallsBackOnceWhenTheRunningCallsHaveEnded() throws Exception {
        registry.setShutdownTimeout(Duration.ofMinutes(5)); // far beyond the test: the call's end stops the wait
        Thread call = runningCall();
        Thread stopper = stopping();

        await().atMost(WAIT).until(() -> stopper.getState() == Thread.State.TIMED_WAITING
                || stopper.getState() == Thread.State.TERMINATED);
        assertThat(stopper.getState()).isEqualTo(Thread.State.TIMED_WAITING);
        assertThat(callbacks).hasValue(0);

        listener.release.countDown();
        assertThat(stopped.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(listener.finished).isTrue();
        stopper.join(WAIT.toMillis());
        call.join(WAIT.toMillis());
        assertThat(callbacks).hasValue(1);
        assertThat(registry.getListenerContainer("blocking").getActiveCount()).isZero();
    }

    @Test
    void stopGivesUpOnCallsRunningPastTheShutdownTimeout() throws Exception {
        registry.setShutdownTimeout(Duration.ZERO);
        runningCall();
        Thread stopper = stopping();

        assertThat(stopped.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        stopper.join(WAIT.toMillis());
        assertThat(callbacks).hasValue(1);
        assertThat(registry.getListenerContainer("blocking").getActiveCount()).isOne();
        assertThat(listener.finished).isFalse();
    }

    @Test
    void anInterruptedStopReturnsAndKeepsTheInterrupt() throws Exception {
        registry.setShutdownTimeout(Duration.ofMinutes(5));
        runningCall();
        Thread.currentThread().interrupt();
        try {
            registry.stop();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(listener.finished).isFalse();
    }
}
