package dev.mbus.spring.listener;

import dev.mbus.core.engine.IncomingCommand;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One call of a listener, as {@linkplain MbusListenerInterceptor interceptors} see it: its id,
 * the command received and, once they are bound, the arguments the method is called with.
 */
public final class MbusListenerInvocation {

    private final String listenerId;
    private final IncomingCommand command;
    private volatile List<Object> arguments;

    public MbusListenerInvocation(String listenerId, IncomingCommand command) {
        this.listenerId = Objects.requireNonNull(listenerId, "listenerId");
        this.command = Objects.requireNonNull(command, "command");
    }

    /** The listener's id. */
    public String listenerId() {
        return listenerId;
    }

    /** The command received. */
    public IncomingCommand command() {
        return command;
    }

    /**
     * The arguments the listener method is called with, converted to its parameter types (an
     * {@code int} parameter gives an {@code Integer}, not the wire's {@code Long}); null until
     * they are bound, and when binding failed or the method is invoked by a handler-method
     * factory of the application's own.
     */
    public List<Object> arguments() {
        return arguments;
    }

    void bound(Object[] values) {
        this.arguments = Collections.unmodifiableList(Arrays.asList(values.clone()));
    }

    @Override
    public String toString() {
        return "MbusListenerInvocation[" + listenerId + " " + command.name() + "]";
    }
}
