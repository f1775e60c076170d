package dev.mbus.spring.listener;

import dev.mbus.core.engine.IncomingCommand;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessagingException;

/** A listener threw, or its arguments could not be bound; the cause says which. */
public class ListenerExecutionFailedException extends MessagingException {

    private final String listenerId;
    private final transient IncomingCommand command;

    public ListenerExecutionFailedException(String listenerId, IncomingCommand command, Message<?> message,
            Throwable cause) {
        super(message, "Mbus listener '" + listenerId + "' failed on " + command.name() + " from "
                + command.source() + ": " + cause.getMessage(), cause);
        this.listenerId = listenerId;
        this.command = command;
    }

    public String getListenerId() {
        return listenerId;
    }

    /** The command that was being handled. */
    public IncomingCommand getCommand() {
        return command;
    }
}
