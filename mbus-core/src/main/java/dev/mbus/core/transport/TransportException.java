package dev.mbus.core.transport;

import dev.mbus.core.MbusException;

/** A socket operation of the transport failed (open, send, or use after close). */
public class TransportException extends MbusException {

    public TransportException(String message) {
        super(message);
    }

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
