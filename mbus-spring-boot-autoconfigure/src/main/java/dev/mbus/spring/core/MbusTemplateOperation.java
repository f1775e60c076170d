package dev.mbus.spring.core;

import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import java.util.List;

/**
 * One send of an {@link MbusTemplate}, as {@linkplain MbusTemplateInterceptor interceptors} see it.
 *
 * @param kind        unreliable send, reliable send or request
 * @param destination where it goes
 * @param commands    what it carries (one command for a request)
 */
public record MbusTemplateOperation(Kind kind, Address destination, List<Command> commands) {

    public MbusTemplateOperation {
        commands = List.copyOf(commands);
    }

    /** What kind of send. */
    public enum Kind {
        /** Unreliable: done when the datagram is handed to the socket. */
        SEND,
        /** Reliable: done when acknowledged. */
        SEND_RELIABLE,
        /** Reliable request: done when the {@code .return} reply arrives. */
        REQUEST
    }

    /** The name of the first command, or {@code none} for a message without commands. */
    public String commandName() {
        return commands.isEmpty() ? "none" : commands.get(0).name();
    }
}
