package dev.mbus.core.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MbusKeysTest {

    private static final byte[] HASH_KEY = "MbusTestHash".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DES_KEY = HexFormat.of().parseHex("0123456789abcdef");

    private static boolean oddParity(byte b) {
        return Integer.bitCount(b & 0xff) % 2 == 1;
    }

    @Test
    void setOddParityFixesOnlyTheLowBitOfEveryByteValue() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        byte[] fixed = all.clone();
        MbusKeys.setOddParity(fixed);
        for (int i = 0; i < 256; i++) {
            assertThat(oddParity(fixed[i])).as("byte %02x", i).isTrue();
            assertThat(fixed[i] & 0xfe).isEqualTo(i & 0xfe);
            if (oddParity(all[i])) {
                assertThat(fixed[i]).isEqualTo(all[i]);
            }
        }
    }

    @Test
    void generatedDesKeysHaveOddParityAndTheRightLengths() {
        SecureRandom random = new SecureRandom();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            MbusKeys keys = MbusKeys.generate(HashAlgorithm.HMAC_MD5_96, CipherAlgorithm.DES, random);
            assertThat(keys.hashKey()).hasSize(12);
            assertThat(keys.cipherKey()).hasSize(8);
            for (byte b : keys.cipherKey()) {
                assertThat(oddParity(b)).isTrue();
            }
            seen.add(HexFormat.of().formatHex(keys.cipherKey()));
        }
        assertThat(seen).hasSizeGreaterThan(490); // random, not constant
    }

    @Test
    void generatedKeysForEveryCombination() {
        SecureRandom random = new SecureRandom();
        for (HashAlgorithm hash : HashAlgorithm.values()) {
            MbusKeys none = MbusKeys.generate(hash, CipherAlgorithm.NOENCR, random);
            MbusKeys aes = MbusKeys.generate(hash, CipherAlgorithm.AES, random);
            assertThat(none.hashAlgorithm()).isEqualTo(hash);
            assertThat(none.hashKey()).hasSize(12);
            assertThat(none.cipher()).isEqualTo(CipherAlgorithm.NOENCR);
            assertThat(none.cipherKey()).isEmpty();
            assertThat(aes.cipher()).isEqualTo(CipherAlgorithm.AES);
            assertThat(aes.cipherKey()).hasSize(16);
            assertThat(aes).isNotEqualTo(MbusKeys.generate(hash, CipherAlgorithm.AES, random));
        }
    }

    @Test
    void defaultGenerationIsMd5AndDesLikeTheReference() {
        MbusKeys keys = MbusKeys.generate();
        assertThat(keys.hashAlgorithm()).isEqualTo(HashAlgorithm.HMAC_MD5_96);
        assertThat(keys.cipher()).isEqualTo(CipherAlgorithm.DES);
        assertThat(keys.hashKey()).hasSize(12);
        assertThat(keys.cipherKey()).hasSize(8);
        assertThat(keys).isNotEqualTo(MbusKeys.generate());
    }

    @Test
    void keyLengthsAreValidated() {
        List<Throwable> errors = new ArrayList<>();
        errors.add(invalid(HashAlgorithm.HMAC_MD5_96, new byte[0], CipherAlgorithm.NOENCR, null));
        errors.add(invalid(HashAlgorithm.HMAC_MD5_96, HASH_KEY, CipherAlgorithm.NOENCR, DES_KEY));
        errors.add(invalid(HashAlgorithm.HMAC_MD5_96, HASH_KEY, CipherAlgorithm.DES, null));
        errors.add(invalid(HashAlgorithm.HMAC_MD5_96, HASH_KEY, CipherAlgorithm.DES, new byte[7]));
        errors.add(invalid(HashAlgorithm.HMAC_MD5_96, HASH_KEY, CipherAlgorithm.DES, new byte[16]));
        errors.add(invalid(HashAlgorithm.HMAC_SHA1_96, HASH_KEY, CipherAlgorithm.AES, DES_KEY));
        errors.add(invalid(HashAlgorithm.HMAC_SHA1_96, HASH_KEY, CipherAlgorithm.AES, new byte[15]));
        errors.add(invalid(HashAlgorithm.HMAC_SHA1_96, HASH_KEY, CipherAlgorithm.AES, new byte[33]));
        assertThat(errors).allSatisfy(e -> assertThat(e).isInstanceOf(IllegalArgumentException.class));
        assertThat(errors.get(3)).hasMessage("DES key must be 8 bytes, got 7");
        assertThat(errors.get(6)).hasMessage("AES key must be 16, 24 or 32 bytes, got 15");
        DatagramSecurityTest.assertNoKeyMaterial(errors.stream().map(Throwable::getMessage).toList(),
                new MbusKeys(HashAlgorithm.HMAC_MD5_96, HASH_KEY, CipherAlgorithm.DES, DES_KEY));

        for (int aes : new int[] {16, 24, 32}) {
            assertThat(new MbusKeys(HashAlgorithm.HMAC_SHA1_96, HASH_KEY, CipherAlgorithm.AES, new byte[aes])
                    .cipherKey()).hasSize(aes);
        }
        assertThat(new MbusKeys(HashAlgorithm.HMAC_MD5_96, HASH_KEY, CipherAlgorithm.NOENCR, new byte[0]))
                .isEqualTo(new MbusKeys(HashAlgorithm.HMAC_MD5_96, HASH_KEY, CipherAlgorithm.NOENCR, null));
        assertThatThrownBy(() -> new MbusKeys(null, HASH_KEY, CipherAlgorithm.NOENCR, null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new MbusKeys(HashAlgorithm.HMAC_MD5_96, null, CipherAlgorithm.NOENCR, null))
                .isInstanceOf(NullPointerException.class);
    }

    private static Throwable invalid(HashAlgorithm h, byte[] hk, CipherAlgorithm c, byte[] ck) {
        try {
            new MbusKeys(h, hk, c, ck);
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("accepted " + h + " " + c + " with a " + (ck == null ? "null" : ck.length + "-byte") + " key");
    }

    @Test
    void keysAreCopiedInAndOut() {
        byte[] hk = HASH_KEY.clone();
        byte[] ck = DES_KEY.clone();
        MbusKeys keys = new MbusKeys(HashAlgorithm.HMAC_MD5_96, hk, CipherAlgorithm.DES, ck);
        hk[0] = 0;
        ck[0] = 0;
        assertThat(keys.hashKey()).isEqualTo(HASH_KEY);
        assertThat(keys.cipherKey()).isEqualTo(DES_KEY);
        keys.hashKey()[1] = 0;
        keys.cipherKey()[1] = 0;
        assertThat(keys.hashKey()).isEqualTo(HASH_KEY);
        assertThat(keys.cipherKey()).isEqualTo(DES_KEY);
    }

    @Test
    void equalityIsOnContent() {
        MbusKeys a = new MbusKeys(HashAlgorithm.HMAC_MD5_96, HASH_KEY, CipherAlgorithm.DES, DES_KEY);
        MbusKeys b = new MbusKeys(HashAlgorithm.HMAC_MD5_96, HASH_KEY.clone(), CipherAlgorithm.DES, DES_KEY.clone());
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        byte[] otherDes = DES_KEY.clone();
        otherDes[7] ^= 2;
        assertThat(a).isNotEqualTo(new MbusKeys(HashAlgorithm.HMAC_MD5_96, HASH_KEY, CipherAlgorithm.DES, otherDes));
        assertThat(a).isNotEqualTo(new MbusKeys(HashAlgorithm.HMAC_SHA1_96, HASH_KEY, CipherAlgorithm.DES, DES_KEY));
        assertThat(a).isNotEqualTo(new MbusKeys(HashAlgorithm.HMAC_MD5_96, HASH_KEY, CipherAlgorithm.NOENCR, null));
        assertThat(a).isNotEqualTo(new MbusKeys(HashAlgorithm.HMAC_MD5_96, "MbusTestHasH".getBytes(StandardCharsets.US_ASCII),
                CipherAlgorithm.DES, DES_KEY));
        assertThat(a).isNotEqualTo(null).isNotEqualTo("MbusKeys[HMAC-MD5-96, DES]");
    }

    @Test
    void toStringNamesTheAlgorithmsOnly() {
        MbusKeys keys = new MbusKeys(HashAlgorithm.HMAC_MD5_96, HASH_KEY, CipherAlgorithm.DES, DES_KEY);
        assertThat(keys).hasToString("MbusKeys[HMAC-MD5-96, DES]");
        assertThat(new MbusKeys(HashAlgorithm.HMAC_SHA1_96, HASH_KEY, CipherAlgorithm.NOENCR, null))
                .hasToString("MbusKeys[HMAC-SHA1-96, NOENCR]");
        MbusKeys generated = MbusKeys.generate(HashAlgorithm.HMAC_SHA1_96, CipherAlgorithm.AES, new SecureRandom());
        assertThat(generated).hasToString("MbusKeys[HMAC-SHA1-96, AES]");
        DatagramSecurityTest.assertNoKeyMaterial(List.of(keys.toString()), keys);
        DatagramSecurityTest.assertNoKeyMaterial(List.of(new DatagramSecurity(keys).keys().toString()), keys);
    }
}
