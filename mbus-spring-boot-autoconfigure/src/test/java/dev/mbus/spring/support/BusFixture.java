package dev.mbus.spring.support;

import dev.mbus.core.engine.IncomingCommand;
import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.spring.boot.autoconfigure.MbusAutoConfiguration;
import dev.mbus.spring.test.MbusTestBus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;

/** A context under test on a private bus, and an entity beside it that sends it commands. */
public final class BusFixture implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(10);
    public static final Address APP = Address.parse("(app:unit)");

    private final MbusTestBus bus = MbusTestBus.create();
    private MbusEntity tester;

    /** The auto-configurations a Boot application with Jackson and validation has. */
    public ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MbusAutoConfiguration.class, JacksonAutoConfiguration.class,
                        ValidationAutoConfiguration.class))
                .withPropertyValues(bus.propertyValues("(app:unit)"));
    }

    public MbusTestBus bus() {
        return bus;
    }

    /** The sending entity, started the first time and once it has heard the application. */
    public MbusEntity tester() throws Exception {
        if (tester == null) {
            tester = bus.startEntity("(app:tester)");
            tester.awaitPeer(APP, WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        return tester;
    }

    /** Sends {@code name (args...)} reliably and waits for the acknowledgement. */
    public void send(String name, Object... args) throws Exception {
        tester().sendReliable(APP, Command.of(name, args)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Sends {@code name (args...)} as a request and returns the reply. */
    public IncomingCommand request(String name, Object... args) throws Exception {
        return tester().request(APP, Command.of(name, args), WAIT).get(WAIT.toSeconds() + 5, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (tester != null) {
            tester.close();
            tester = null;
        }
    }

    /** What listeners received, in order. */
    public static final class Seen {
        private final BlockingQueue<List<Object>> calls = new LinkedBlockingQueue<>();

        public void add(Object... values) {
            calls.add(List.of(values));
        }

        /** The next call's values; fails when none comes in time. */
        public List<Object> next() throws InterruptedException {
            List<Object> call = calls.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            if (call == null) {
                throw new AssertionError("no listener call within " + WAIT);
            }
            return call;
        }

        public boolean isEmpty() {
            return calls.isEmpty();
        }
    }
}
