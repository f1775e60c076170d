package dev.mbus.core.security;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * The keys of a bus: the hash algorithm and key, the cipher and its key. Holds copies, hands
 * out copies, and never prints a key: {@link #toString()} and every exception message name
 * the algorithms and lengths only.
 */
public final class MbusKeys {

    /** Length of a generated hash key, as the reference implementation writes it. */
    public static final int GENERATED_HASH_KEY_BYTES = 12;

    private static final byte[] NO_KEY = new byte[0];

    private final HashAlgorithm hashAlgorithm;
    private final byte[] hashKey;
    private final CipherAlgorithm cipher;
    private final byte[] cipherKey;

    /**
     * @param hash      the HMAC algorithm
     * @param hashKey   the HMAC key, at least one byte; copied
     * @param cipher    the cipher, {@link CipherAlgorithm#NOENCR} for none
     * @param cipherKey the cipher key (8 bytes for DES; 16, 24 or 32 for AES); {@code null} or
     *                  empty for NOENCR; copied
     * @throws IllegalArgumentException when a key is missing or has the wrong length
     */
    public MbusKeys(HashAlgorithm hash, byte[] hashKey, CipherAlgorithm cipher, byte[] cipherKey) {
        this.hashAlgorithm = Objects.requireNonNull(hash, "hash");
        this.cipher = Objects.requireNonNull(cipher, "cipher");
        Objects.requireNonNull(hashKey, "hashKey");
        if (hashKey.length == 0) {
            throw new IllegalArgumentException(hash.configName() + " key is empty");
        }
        byte[] ck = cipherKey == null ? NO_KEY : cipherKey;
        if (!cipher.isValidKeyLength(ck.length)) {
            throw new IllegalArgumentException(describeKeyLengthError(cipher, ck.length));
        }
        this.hashKey = hashKey.clone();
        this.cipherKey = ck.length == 0 ? NO_KEY : ck.clone();
    }

    /** What is wrong with a cipher key of {@code length} bytes; names lengths only. */
    static String describeKeyLengthError(CipherAlgorithm cipher, int length) {
        switch (cipher) {
            case NOENCR:
                return "NOENCR takes no key, got " + length + " bytes";
            case DES:
                return "DES key must be 8 bytes, got " + length;
            case AES:
                return "AES key must be 16, 24 or 32 bytes, got " + length;
            default:
                throw new AssertionError(cipher);
        }
    }

    /**
     * Fresh random keys: a 12-byte hash key, and a cipher key of 8 bytes with odd parity for
     * DES (the reference implementation requires it) or 16 bytes (AES-128) for AES.
     */
    public static MbusKeys generate(HashAlgorithm hash, CipherAlgorithm cipher, SecureRandom random) {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(cipher, "cipher");
        Objects.requireNonNull(random, "random");
        byte[] hashKey = new byte[GENERATED_HASH_KEY_BYTES];
        random.nextBytes(hashKey);
        byte[] cipherKey;
        switch (cipher) {
            case NOENCR:
                cipherKey = NO_KEY;
                break;
            case DES:
                cipherKey = new byte[8];
                random.nextBytes(cipherKey);
                setOddParity(cipherKey);
                break;
            case AES:
                cipherKey = new byte[16];
                random.nextBytes(cipherKey);
                break;
            default:
                throw new AssertionError(cipher);
        }
        try {
            return new MbusKeys(hash, hashKey, cipher, cipherKey);
        } finally {
            Arrays.fill(hashKey, (byte) 0);
            Arrays.fill(cipherKey, (byte) 0);
        }
    }

    /**
     * Fresh HMAC-MD5-96 and DES keys: what the reference implementation writes when it creates
     * a configuration file, so that a file we create works with it too.
     */
    public static MbusKeys generate() {
        return generate(HashAlgorithm.HMAC_MD5_96, CipherAlgorithm.DES, new SecureRandom());
    }

    /** Sets the low bit of each byte so that every byte has an odd number of one bits. */
    static void setOddParity(byte[] key) {
        for (int i = 0; i < key.length; i++) {
            int high7 = key[i] & 0xfe;
            key[i] = (byte) (high7 | ((Integer.bitCount(high7) & 1) == 0 ? 1 : 0));
        }
    }

    public HashAlgorithm hashAlgorithm() {
        return hashAlgorithm;
    }

    /** A copy of the HMAC key. */
    public byte[] hashKey() {
        return hashKey.clone();
    }

    public CipherAlgorithm cipher() {
        return cipher;
    }

    /** A copy of the cipher key; empty for {@link CipherAlgorithm#NOENCR}. */
    public byte[] cipherKey() {
        return cipherKey.length == 0 ? NO_KEY : cipherKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof MbusKeys)) {
            return false;
        }
        MbusKeys other = (MbusKeys) o;
        return hashAlgorithm == other.hashAlgorithm
                && cipher == other.cipher
                && MessageDigest.isEqual(hashKey, other.hashKey)
                && MessageDigest.isEqual(cipherKey, other.cipherKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(hashAlgorithm, cipher, Arrays.hashCode(hashKey), Arrays.hashCode(cipherKey));
    }

    /** Names the algorithms only, e.g. {@code MbusKeys[HMAC-MD5-96, DES]}; never a key. */
    @Override
    public String toString() {
        return "MbusKeys[" + hashAlgorithm.configName() + ", " + cipher.name() + "]";
    }
}
