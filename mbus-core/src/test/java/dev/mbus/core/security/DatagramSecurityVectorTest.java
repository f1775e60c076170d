package dev.mbus.core.security;

import static dev.mbus.core.security.DatagramSecurityTest.assertReason;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.core.InvalidDatagramException.Reason;
import dev.mbus.core.testsupport.WireVector;
import dev.mbus.core.testsupport.WireVectors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The security layer against datagrams captured from the reference implementation. */
class DatagramSecurityVectorTest {

    static List<WireVector> vectors() {
        return WireVectors.all();
    }

    private static DatagramSecurity securityFor(WireVector v) {
        return new DatagramSecurity(WireVectors.keys(v.folder()));
    }

    @Test
    void vectorFoldersUseTheAdvertisedAlgorithms() {
        assertThat(WireVectors.keys("noencr")).hasToString("MbusKeys[HMAC-MD5-96, NOENCR]");
        assertThat(WireVectors.keys("des")).hasToString("MbusKeys[HMAC-MD5-96, DES]");
        assertThat(WireVectors.keys("sha1-aes")).hasToString("MbusKeys[HMAC-SHA1-96, AES]");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void opensToTheExpectedPlaintext(WireVector v) {
        assertThat(v.bytes()).hasSize(v.length());
        assertThat(securityFor(v).open(v.bytes(), 0, v.bytes().length)).isEqualTo(v.plaintextBytes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void sealsTheExpectedPlaintextToTheSameBytes(WireVector v) {
        DatagramSecurity security = securityFor(v);
        assertThat(security.sealedLength(v.plaintextBytes().length)).isEqualTo(v.length());
        assertThat(security.seal(v.plaintextBytes(), 0, v.plaintextBytes().length)).isEqualTo(v.bytes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void opensFromTheMiddleOfALargerBuffer(WireVector v) {
        byte[] buffer = new byte[v.bytes().length + 40];
        java.util.Arrays.fill(buffer, (byte) 'x');
        System.arraycopy(v.bytes(), 0, buffer, 23, v.bytes().length);
        assertThat(securityFor(v).open(buffer, 23, v.bytes().length)).isEqualTo(v.plaintextBytes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void acceptsCrLfAfterTheDigest(WireVector v) {
        byte[] d = v.bytes();
        byte[] crlf = new byte[d.length + 1];
        System.arraycopy(d, 0, crlf, 0, 16);
        crlf[16] = '\r';
        System.arraycopy(d, 16, crlf, 17, d.length - 16);
        assertThat(securityFor(v).open(crlf, 0, crlf.length)).isEqualTo(v.plaintextBytes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void everySingleBitFlipIsRefused(WireVector v) {
        DatagramSecurity security = securityFor(v);
        byte[] d = v.bytes().clone();
        List<String> unexpected = new ArrayList<>();
        for (int i = 0; i < d.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                d[i] ^= (byte) (1 << bit);
                Reason wanted = i == 16 ? Reason.TOO_SHORT : Reason.BAD_DIGEST;
                try {
                    security.open(d, 0, d.length);
                    unexpected.add("byte " + i + " bit " + bit + ": accepted");
                } catch (MbusSecurityException e) {
                    if (e.reason() != wanted) {
                        unexpected.add("byte " + i + " bit " + bit + ": " + e.reason());
                    }
                }
                d[i] ^= (byte) (1 << bit);
            }
        }
        assertThat(unexpected).isEmpty();
        assertThat(d).isEqualTo(v.bytes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void truncatedOrExtendedIsRefused(WireVector v) {
        DatagramSecurity security = securityFor(v);
        byte[] d = v.bytes();
        assertReason(() -> security.open(d, 0, d.length - 1), Reason.BAD_DIGEST);
        byte[] longer = java.util.Arrays.copyOf(d, d.length + 1);
        assertReason(() -> security.open(longer, 0, longer.length), Reason.BAD_DIGEST);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void wrongKeyOrAlgorithmIsABadDigest(WireVector v) {
        MbusKeys right = WireVectors.keys(v.folder());
        byte[] otherHashKey = right.hashKey();
        otherHashKey[0] ^= 1;
        HashAlgorithm otherHash = right.hashAlgorithm() == HashAlgorithm.HMAC_MD5_96
                ? HashAlgorithm.HMAC_SHA1_96 : HashAlgorithm.HMAC_MD5_96;
        for (MbusKeys wrong : List.of(
                new MbusKeys(right.hashAlgorithm(), otherHashKey, right.cipher(), right.cipherKey()),
                new MbusKeys(otherHash, right.hashKey(), right.cipher(), right.cipherKey()),
                new MbusKeys(right.hashAlgorithm(), "MbusTestHasi".getBytes(StandardCharsets.US_ASCII),
                        right.cipher(), right.cipherKey()))) {
            assertReason(() -> new DatagramSecurity(wrong).open(v.bytes(), 0, v.bytes().length),
                    Reason.BAD_DIGEST);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void wrongCipherKeyYieldsOtherBytesNotTheMessage(WireVector v) {
        MbusKeys right = WireVectors.keys(v.folder());
        if (right.cipher() == CipherAlgorithm.NOENCR) {
            return; // nothing to get wrong
        }
        byte[] otherCipherKey = right.cipherKey();
        otherCipherKey[3] ^= 0x10;
        MbusKeys wrong = new MbusKeys(right.hashAlgorithm(), right.hashKey(), right.cipher(), otherCipherKey);
        // The digest covers the ciphertext, so it still verifies; the decryption is garbage.
        assertThat(new DatagramSecurity(wrong).open(v.bytes(), 0, v.bytes().length))
                .isNotEqualTo(v.plaintextBytes());
    }
}
