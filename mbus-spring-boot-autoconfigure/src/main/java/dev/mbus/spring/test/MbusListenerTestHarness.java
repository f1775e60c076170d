package dev.mbus.spring.test;

import dev.mbus.core.engine.IncomingCommand;
import dev.mbus.core.message.MbusValue;
import dev.mbus.spring.listener.MbusListenerInterceptor;
import dev.mbus.spring.listener.MbusListenerInvocation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.springframework.core.Ordered;

/**
 * Records every listener call, in the order they finish, and lets a test wait for them. A
 * listener interceptor: any context with a bean of this type records (with
 * {@link EmbeddedMbus @EmbeddedMbus} there is one already).
 *
 * <pre>{@code
 * Invocation call = harness.awaitInvocation("volumeListener", Duration.ofSeconds(5));
 * assertThat(call.arguments()).containsExactly(7L);
 * }</pre>
 */
public class MbusListenerTestHarness implements MbusListenerInterceptor, Ordered {

    /**
     * A finished listener call.
     *
     * @param listenerId the listener's id
     * @param command    the command received
     * @param arguments  the command's arguments in plain Java form (Long, Double, String, List, byte[])
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
            record(new Invocation(invocation.listenerId(), invocation.command(), plain(invocation.command()), result, null));
            return result;
        } catch (Exception | Error e) {
            record(new Invocation(invocation.listenerId(), invocation.command(), plain(invocation.command()), null, e));
            throw e;
        }
    }

    /**
     * Waits for the next call of the listener that this method has not returned yet: the first
     * call the first time, the second the next time, and so on.
     *
     * @throws AssertionError when no such call finishes within {@code timeout}
     */
    public Invocation awaitInvocation(String listenerId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (monitor) {
            while (true) {
                int index = awaited.getOrDefault(listenerId, 0);
                List<Invocation> calls = getInvocations(listenerId);
                if (calls.size() > index) {
                    awaited.put(listenerId, index + 1);
                    return calls.get(index);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("Mbus listener '" + listenerId + "' was not called (again) within "
                            + timeout.toMillis() + " ms; calls so far: " + describe(invocations));
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(monitor, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("Interrupted while waiting for Mbus listener '" + listenerId + "'", e);
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

    private static List<Object> plain(IncomingCommand command) {
        List<Object> values = new ArrayList<>();
        for (MbusValue value : command.command().args()) {
            values.add(value.toJava());
        }
        return values;
    }

    private static String describe(List<Invocation> calls) {
        return calls.stream().map(call -> call.listenerId() + ":" + call.command().name()).toList().toString();
    }
}
