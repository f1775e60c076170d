package dev.mbus.core;

/**
 * A reliable send, a request or a rendezvous did not succeed. {@link #reason()} says why, so
 * callers can tell a typo in an address from a peer that went away.
 */
public class DeliveryException extends MbusException {

    /** Why delivery failed. */
    public enum Reason {
        /** No known entity matches the destination. */
        UNKNOWN_DESTINATION,
        /** More than one known entity matches a destination that must be unique. */
        DESTINATION_NOT_UNIQUE,
        /** No acknowledgement came after every retransmission. */
        NO_ACKNOWLEDGEMENT,
        /** No reply or go came within the timeout. */
        TIMEOUT,
        /** The entity was closed before the outcome was known. */
        CLOSED,
        /**
         * The reliable window was full and the send came from an engine thread (a callback run
         * on the receive or timer thread), which must never wait for room.
         */
        WINDOW_FULL,
        /**
         * The message makes a datagram larger than an entity it is for is known to receive (a UCL
         * tool takes 1,500 bytes); it was not sent.
         */
        TOO_LARGE_FOR_DESTINATION
    }

    private final Reason reason;

    public DeliveryException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
