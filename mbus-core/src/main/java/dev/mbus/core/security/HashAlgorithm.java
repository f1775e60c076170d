package dev.mbus.core.security;

/** The message authentication codes of protocol §2: HMAC truncated to 96 bits. */
public enum HashAlgorithm {
    HMAC_MD5_96("HMAC-MD5-96", "HmacMD5"),
    HMAC_SHA1_96("HMAC-SHA1-96", "HmacSHA1");

    private final String configName;
    private final String jcaName;

    HashAlgorithm(String configName, String jcaName) {
        this.configName = configName;
        this.jcaName = jcaName;
    }

    /** The name used in the configuration file, e.g. {@code HMAC-MD5-96}. */
    public String configName() {
        return configName;
    }

    /** The JCA algorithm name for {@link javax.crypto.Mac#getInstance(String)}. */
    public String jcaName() {
        return jcaName;
    }

    /** The algorithm with this configuration-file name (case-insensitive). */
    public static HashAlgorithm fromConfigName(String name) {
        for (HashAlgorithm algorithm : values()) {
            if (algorithm.configName.equalsIgnoreCase(name.strip())) {
                return algorithm;
            }
        }
        throw new IllegalArgumentException("unknown hash algorithm " + name + " (expected HMAC-MD5-96 or HMAC-SHA1-96)");
    }
}
