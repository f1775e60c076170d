package dev.mbus.spring.listener;

import dev.mbus.core.engine.IncomingCommand;
import org.springframework.messaging.Message;

/**
 * Handles a listener's failure. Name a bean of this type in
 * {@code @MbusListener(errorHandler = "...")} for one listener; the registry's default only logs.
 *
 * <p>Reliable commands are acknowledged whatever the handler does: an Mbus acknowledgement says
 * "received", not "processed" (protocol §6), the engine sends it before handlers run, and a
 * retransmission could not mend a failing handler anyway; the reference implementation behaves
 * the same. An application that needs the sender to know about a failure replies with an error
 * value, which is what the return value of this handler is for.
 */
@FunctionalInterface
public interface MbusListenerErrorHandler {

    /**
     * @return a value to send back as the reply ({@code <name>.return}), or null for none
     * @throws Exception to have the failure logged by the registry
     */
    Object handleError(IncomingCommand command, Message<?> message, ListenerExecutionFailedException exception)
            throws Exception;
}
