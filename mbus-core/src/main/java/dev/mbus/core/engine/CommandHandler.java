package dev.mbus.core.engine;

/**
 * Handles commands routed to it by name or prefix pattern. Runs on the entity's handler
 * executor, never on the receiving thread; commands from one sender arrive one at a time and in
 * order. An exception is reported to the entity's error handler; it does not stop the bus.
 */
@FunctionalInterface
public interface CommandHandler {

    void handle(IncomingCommand incoming) throws Exception;
}
