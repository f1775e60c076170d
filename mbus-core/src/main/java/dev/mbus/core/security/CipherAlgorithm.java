package dev.mbus.core.security;

/** The encryption choices of protocol §9: none, DES-CBC or AES-CBC, zero IV, NUL padding. */
public enum CipherAlgorithm {
    NOENCR(1),
    DES(8),
    AES(16);

    private final int blockSize;

    CipherAlgorithm(int blockSize) {
        this.blockSize = blockSize;
    }

    /** Bytes per cipher block; 1 for {@link #NOENCR}. */
    public int blockSize() {
        return blockSize;
    }

    /** Whether {@code length} bytes is a valid key for this cipher (0 for none). */
    public boolean isValidKeyLength(int length) {
        return switch (this) {
            case NOENCR -> length == 0;
            case DES -> length == 8;
            case AES -> length == 16 || length == 24 || length == 32;
        };
    }

    /** The algorithm with this configuration-file name (case-insensitive). */
    public static CipherAlgorithm fromConfigName(String name) {
        for (CipherAlgorithm algorithm : values()) {
            if (algorithm.name().equalsIgnoreCase(name.strip())) {
                return algorithm;
            }
        }
        throw new IllegalArgumentException("unknown cipher " + name + " (expected NOENCR, DES or AES)");
    }
}
