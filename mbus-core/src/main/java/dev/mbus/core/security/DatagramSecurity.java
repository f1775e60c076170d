package dev.mbus.core.security;

/**
 * Signs and encrypts outgoing message bytes into datagrams, and verifies and decrypts
 * incoming datagrams (protocol §2, §9): {@code <16-char base64 digest> LF <message>}.
 */
public final class DatagramSecurity {
    // TODO(helper-security): implement seal(byte[], int, int) -> datagram and
    // open(byte[], int, int) -> plaintext (trailing NULs dropped), throwing MbusSecurityException.
    private DatagramSecurity() {
    }
}
