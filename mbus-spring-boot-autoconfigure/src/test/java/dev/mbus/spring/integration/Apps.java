package dev.mbus.spring.integration;

import dev.mbus.core.message.Address;
import dev.mbus.core.message.MbusValue;
import dev.mbus.core.message.SymbolValue;
import dev.mbus.spring.annotation.MbusListener;
import dev.mbus.spring.event.MbusApplicationEvent;
import dev.mbus.spring.listener.MbusListenerErrorHandler;
import dev.mbus.spring.support.MbusHeaders;
import dev.mbus.spring.test.MbusListenerTestHarness;
import dev.mbus.spring.test.MbusTestBus;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.handler.annotation.SendTo;

/** Small applications that talk to each other on a test bus. */
final class Apps {

    private Apps() {
    }

    enum Mood { CALM, LOUD }

    record Point(int x, int y) {
    }

    record PlayerStatus(String what, int tracks) {
    }

    /** Starts another application on the same bus as {@code bus}. */
    static ConfigurableApplicationContext start(Class<?> app, MbusTestBus bus, String address, String... properties) {
        return new SpringApplicationBuilder(app).web(WebApplicationType.NONE)
                .bannerMode(org.springframework.boot.Banner.Mode.OFF).logStartupInfo(false)
                .initializers(bus.initializer(address))
                .properties(properties)
                .run();
    }

    /** Records every Mbus application event. */
    static class Events {
        final List<MbusApplicationEvent> received = new CopyOnWriteArrayList<>();

        @EventListener
        void on(MbusApplicationEvent event) {
            received.add(event);
        }
    }

    /** The listeners of the player, the application under test. */
    static class PlayerListeners {
        final Map<String, List<Object>> seen = new ConcurrentHashMap<>();
        final List<Long> counted = new CopyOnWriteArrayList<>();

        @MbusListener(id = "count", value = "test.count")
        void count(long n) {
            counted.add(n);
        }

        @MbusListener(id = "volume", value = "tool.rat.volume")
        void volume(int level, String unit, @Header(MbusHeaders.SOURCE) Address source,
                @Header(MbusHeaders.RELIABLE) boolean reliable, @Header(MbusHeaders.SEQUENCE) long sequence) {
            seen.put("volume", List.of(level, unit, source, reliable, sequence));
        }

        @MbusListener(id = "types", value = "test.types")
        void types(long l, double d, boolean b, String s, byte[] data, List<Integer> list, Mood mood, Point point,
                SymbolValue symbol, MbusValue any) {
            seen.put("types", List.of(l, d, b, s, data, list, mood, point, symbol, any));
        }

        @MbusListener(id = "payload", value = "test.payload")
        void payload(@Payload Point point, dev.mbus.core.engine.IncomingCommand incoming) {
            seen.put("payload", List.of(point, incoming.name()));
        }

        @MbusListener(id = "prefix", value = "tool.mixer.*")
        void prefix(@Header(MbusHeaders.COMMAND) String command, @Payload List<Object> args) {
            seen.put("prefix", List.of(command, args));
        }

        @MbusListener(id = "status", value = "player.status")
        PlayerStatus status(String what) {
            return new PlayerStatus(what, 3);
        }

        @MbusListener(id = "echo", value = "player.echo")
        @SendTo("player.echoed")
        String echo(String text) {
            return text + "!";
        }

        @MbusListener(id = "failing", value = "player.fail", errorHandler = "replyingErrorHandler")
        int fail(int x) {
            throw new IllegalStateException("boom " + x);
        }

        @MbusListener(id = "crashing", value = "player.crash")
        void crash(int x) {
            throw new IllegalStateException("crash " + x);
        }

        @MbusListener(id = "uiOnly", value = "ui.refresh", destination = "(module:ui)")
        void refresh(int generation) {
            seen.put("uiOnly", List.of(generation));
        }

        @MbusListener(id = "late", value = "${player.late-command}", autoStartup = "false")
        void late() {
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({PlayerListeners.class, Events.class})
    static class PlayerApp {
        @Bean
        MbusListenerErrorHandler replyingErrorHandler() {
            return (command, message, exception) -> "failed: " + exception.getCause().getMessage();
        }
    }

    /** The listeners of the engine, the other side. */
    static class EngineListeners {
        @MbusListener(id = "echoed", value = "player.echoed")
        void echoed(String text) {
        }
    }

    /** Observation contexts seen, by observation name. */
    static class RecordingObservationHandler implements ObservationHandler<Observation.Context> {
        final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }

        @Override
        public void onStop(Observation.Context context) {
            stopped.add(context);
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({EngineListeners.class, Events.class})
    static class EngineApp {
        @Bean
        MbusListenerTestHarness harness() {
            return new MbusListenerTestHarness();
        }

        @Bean
        RecordingObservationHandler recordingObservationHandler() {
            return new RecordingObservationHandler();
        }

        @Bean
        ObservationRegistry observationRegistry(RecordingObservationHandler handler) {
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(handler);
            return registry;
        }
    }

    /** A listener that takes its time, to watch a graceful shutdown wait for it. */
    static class SlowListener {
        final java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();

        @MbusListener(id = "slow", value = "slow.work")
        void work() throws InterruptedException {
            started.countDown();
            Thread.sleep(300);
            finished.set(true);
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({SlowListener.class, Events.class})
    static class SlowApp {
    }

    /** An application with nothing but the starter and an event recorder. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Events.class)
    static class BareApp {
    }
}
