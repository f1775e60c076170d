package dev.mbus.core;

/**
 * A received datagram was refused: it failed authentication, decryption or parsing, or it
 * broke a limit. This family is the only thing the decoder throws, whatever the input, so a
 * receive loop can count the drop by {@link #reason()} and carry on.
 */
public abstract class InvalidDatagramException extends MbusException {

    /** Why a datagram was dropped; stable names for metrics and logs. */
    public enum Reason {
        /** Shorter than a digest line, or no LF after the digest. */
        TOO_SHORT,
        /** Larger than the largest UDP payload, or than a configured limit. */
        OVERSIZED,
        /** The HMAC did not match: wrong key, or tampered. */
        BAD_DIGEST,
        /** Authentic but could not be decrypted (ciphertext not a whole number of blocks). */
        BAD_CIPHERTEXT,
        /** Authentic, decrypted, but not a well-formed Mbus message. */
        PARSE_ERROR,
        /**
         * Authentic and well formed, but not to be taken: its timestamp lies outside the
         * receiver's freshness window, or it predates its sender's current run (a replay).
         * The engine counts these itself; the decoder never throws it.
         */
        STALE
    }

    private final Reason reason;

    protected InvalidDatagramException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
