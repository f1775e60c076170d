package dev.mbus.spring.integration;

import dev.mbus.core.engine.IncomingCommand;
import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.message.Address;
import dev.mbus.spring.boot.autoconfigure.MbusAutoConfiguration;
import dev.mbus.spring.boot.autoconfigure.integration.MbusIntegrationAutoConfiguration;
import dev.mbus.spring.test.MbusTestBus;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.integration.autoconfigure.IntegrationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A private bus with the application under test, {@code (app:unit)}, and a plain entity beside
 * it, {@code (app:tester)}, that sends to it and records what it is sent.
 */
final class IntegrationBus implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final Address APP = Address.parse("(app:unit)");
    static final Address TESTER = Address.parse("(app:tester)");

    private final MbusTestBus bus = MbusTestBus.create();
    private final BlockingQueue<IncomingCommand> received = new LinkedBlockingQueue<>();
    private MbusEntity tester;

    /** A Boot application with the Mbus starter and Spring Integration, as {@code (app:unit)}. */
    ApplicationContextRunner runner() {
        return runner("(app:unit)");
    }

    ApplicationContextRunner runner(String address) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MbusAutoConfiguration.class, IntegrationAutoConfiguration.class,
                        MbusIntegrationAutoConfiguration.class))
                .withPropertyValues(bus.propertyValues(address))
                .withPropertyValues("mbus.keep-alive=false");
    }

    /** The tester, started the first time, once it has heard the application; it records every {@code note.*} command. */
    MbusEntity tester() throws Exception {
        if (tester == null) {
            tester = bus.startEntity(TESTER.toString());
            tester.subscribe("note.*", received::add);
            tester.awaitPeer(APP, WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        return tester;
    }

    /** The next {@code note.*} command the tester received. */
    IncomingCommand nextReceived() throws InterruptedException {
        IncomingCommand next = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (next == null) {
            throw new AssertionError("The tester received no note.* command within " + WAIT);
        }
        return next;
    }

    /** A {@code note.*} command the tester received already, or null. */
    IncomingCommand receivedNow() {
        return received.poll();
    }

    @Override
    public void close() {
        if (tester != null) {
            tester.close();
        }
    }
}
