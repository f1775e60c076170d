package dev.mbus.spring.listener;

import dev.mbus.core.engine.IncomingCommand;

/**
 * One call of a listener, as {@linkplain MbusListenerInterceptor interceptors} see it.
 *
 * @param listenerId the listener's id
 * @param command    the command received
 */
public record MbusListenerInvocation(String listenerId, IncomingCommand command) {
}
