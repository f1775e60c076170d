package dev.mbus.core.testsupport;

import dev.mbus.core.security.CipherAlgorithm;
import dev.mbus.core.security.HashAlgorithm;
import dev.mbus.core.security.MbusKeys;
import java.nio.charset.StandardCharsets;

/** The keys of the captured UCL datagrams (see {@code ../shared/vectors}): hash only, and with DES. */
public enum TestKeys {
    HASH_ONLY(CipherAlgorithm.NOENCR, null),
    DES(CipherAlgorithm.DES, new byte[] {0x01, 0x23, 0x45, 0x67, (byte) 0x89, (byte) 0xab, (byte) 0xcd, (byte) 0xef});

    private final MbusKeys keys;

    TestKeys(CipherAlgorithm cipher, byte[] cipherKey) {
        this.keys = new MbusKeys(HashAlgorithm.HMAC_MD5_96, "MbusTestHash".getBytes(StandardCharsets.US_ASCII),
                cipher, cipherKey);
    }

    public MbusKeys keys() {
        return keys;
    }
}
