package dev.mbus.core.security;

import dev.mbus.core.InvalidDatagramException;

/**
 * A datagram failed the security layer: too short to hold a digest line, a digest that does
 * not match, or a ciphertext that cannot be decrypted. Messages never contain key material
 * or datagram contents, only lengths.
 */
public final class MbusSecurityException extends InvalidDatagramException {

    private static final long serialVersionUID = 1L;

    public MbusSecurityException(Reason reason, String message) {
        super(reason, message);
    }
}
