package dev.mbus.core;

/**
 * Root of every exception this library throws on purpose. Unchecked, so that handlers and
 * lambdas stay readable; catch it at the boundary where you can report the problem.
 */
public class MbusException extends RuntimeException {

    public MbusException(String message) {
        super(message);
    }

    public MbusException(String message, Throwable cause) {
        super(message, cause);
    }
}
