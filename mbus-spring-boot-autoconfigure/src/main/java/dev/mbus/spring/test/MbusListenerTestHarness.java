package dev.mbus.spring.test;

import dev.mbus.core.engine.IncomingCommand;
import dev.mbus.spring.listener.MbusListenerInterceptor;
import dev.mbus.spring.listener.MbusListenerInvocation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.springframework.core.Ordered;

/**
 * Records every listener call, in the order they finish, and lets a test wait for them, by
 * command name or by listener id. A listener interceptor: any context with a bean of this type
 * records (with {@link EmbeddedMbus @EmbeddedMbus} there is one already).
 *
 * <pre>{@code
 * Invocation call = harness.awaitCommand("tool.rat.volume", Duration.ofSeconds(5));
 * assertThat(call.arguments()).containsExactly(7);            // volume(int level) was called with 7
 * harness.awaitInvocation("player.volume", Duration.ofSeconds(5));  // by listener id: <bean>.<method> or @MbusListener(id)
 * }</pre>
 */
public class MbusListenerTestHarness implements MbusListenerInterceptor, Ordered {

    /**
     * A finished listener call.
     *
     * @param listenerId the listener's id
     * @param command    the command received
     * @param arguments  what the listener method was called with, converted to its parameter types
     *                   ({@code volume(int level)} gives {@code [7]}); empty when the arguments could
     *                   not be bound (then {@link #error()} says why) or when the application
     *                   brings its own {@code mbusHandlerMethodFactory}; the raw values are in
     *                   {@code command().command().args()}
     * @param result     what the listener returned, or null
     * @param error      what it threw, or null
     */
    public record Invocation(String listenerId, IncomingCommand command, List<Object> arguments, Object result,
            Throwable error) {

        public boolean failed() {
            return error != null;
        }
    }

    private final List<Invocation> invocations = new CopyOnWriteArrayList<>();
    /** How many calls each await key has returned: "id:" + listener id, "command:" + command name. */
    private final Map<String, Integer> awaited = new ConcurrentHashMap<>();
    private final Object monitor = new Object();

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE; // outermost: sees every failure
    }

    @Override
    public Object intercept(MbusListenerInvocation invocation, Proceed next) throws Exception {
        try {
            Object result = next.proceed();
            record(new Invocation(invocation.listenerId(), invocation.command(), arguments(invocation), result, null));
            return result;
        } catch (Exception | Error e) {
            record(new Invocation(invocation.listenerId(), invocation.command(), arguments(invocation), null, e));
            throw e;
        }
    }

    /**
     * Waits for the next call of the listener with this id that this method has not returned
     * yet: the first call the first time, the second the next time, and so on.
     *
     * @param listenerId {@code <beanName>.<methodName>}, or the {@code id} of the {@code @MbusListener}
     * @throws AssertionError when no such call finishes within {@code timeout}
     */
    public Invocation awaitInvocation(String listenerId, Duration timeout) {
        return await("id:" + listenerId, Invocation::listenerId, listenerId, "listener '" + listenerId + "'", timeout);
    }

    /**
     * Waits for the next listener call, of any listener, for a command of this name that this
     * method has not returned yet. A command that two listeners handle gives two calls.
     *
     * @param commandName the command's name, such as {@code tool.rat.volume}
     * @throws AssertionError when no such call finishes within {@code timeout}
     */
    public Invocation awaitCommand(String commandName, Duration timeout) {
        return await("command:" + commandName, call -> call.command().name(), commandName,
                "command '" + commandName + "'", timeout);
    }

    private Invocation await(String key, Function<Invocation, String> attribute, String value, String what,
            Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (monitor) {
            while (true) {
                int index = awaited.getOrDefault(key, 0);
                List<Invocation> calls = invocations.stream().filter(call -> attribute.apply(call).equals(value)).toList();
                if (calls.size() > index) {
                    awaited.put(key, index + 1);
                    return calls.get(index);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("No Mbus listener call for " + what + " (again) within "
                            + timeout.toMillis() + " ms; calls so far (listener id:command): " + describe(invocations));
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(monitor, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("Interrupted while waiting for a call for " + what, e);
                }
            }
        }
    }

    /** The calls of one listener so far. */
    public List<Invocation> getInvocations(String listenerId) {
        return invocations.stream().filter(call -> call.listenerId().equals(listenerId)).toList();
    }

    /** Every call so far. */
    public List<Invocation> getInvocations() {
        return List.copyOf(invocations);
    }

    /** Forgets every call. */
    public void reset() {
        synchronized (monitor) {
            invocations.clear();
            awaited.clear();
        }
    }

    private void record(Invocation invocation) {
        synchronized (monitor) {
            invocations.add(invocation);
            monitor.notifyAll();
        }
    }

    private static List<Object> arguments(MbusListenerInvocation invocation) {
        List<Object> bound = invocation.arguments();
        return bound == null ? List.of() : bound;
    }

    private static String describe(List<Invocation> calls) {
        return calls.stream().map(call -> call.listenerId() + ":" + call.command().name()).toList().toString();
    }
}
