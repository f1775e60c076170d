package dev.mbus.core.security;

/**
 * The keys of a bus: the hash algorithm and key, the cipher and its key. Holds copies, hands
 * out copies, and never prints a key.
 */
public final class MbusKeys {
    // TODO(helper-security): constructor validating key lengths, accessors returning copies,
    // generate(HashAlgorithm, CipherAlgorithm, SecureRandom) with 12-byte hash keys and
    // odd-parity DES keys, equals/hashCode, a toString that names algorithms only.
    private MbusKeys() {
    }
}
