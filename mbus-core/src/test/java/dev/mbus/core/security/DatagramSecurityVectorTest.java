package dev.mbus.core.security;

import static dev.mbus.core.security.DatagramSecurityTest.assertReason;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.core.InvalidDatagramException.Reason;
import dev.mbus.core.security.WireVectors.Vector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The security layer against datagrams captured from the reference implementation. */
class DatagramSecurityVectorTest {

    static List<Vector> vectors() {
        return WireVectors.all();
    }

    private static DatagramSecurity securityFor(Vector v) {
        return new DatagramSecurity(WireVectors.config(v.folder()).keys());
    }

    @Test
    void everyVectorOfExpectedJsonIsTested() {
        Set<String> names = new HashSet<>();
        WireVectors.expected().propertyNames().forEach(names::add);
        assertThat(vectors()).extracting(Vector::name).containsExactlyInAnyOrderElementsOf(names).hasSize(11);
    }

    @Test
    void vectorFoldersUseTheAdvertisedAlgorithms() {
        assertThat(WireVectors.config("noencr").keys()).hasToString("MbusKeys[HMAC-MD5-96, NOENCR]");
        assertThat(WireVectors.config("des").keys()).hasToString("MbusKeys[HMAC-MD5-96, DES]");
        assertThat(WireVectors.config("sha1-aes").keys()).hasToString("MbusKeys[HMAC-SHA1-96, AES]");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void opensToTheExpectedPlaintext(Vector v) {
        assertThat(v.datagram()).hasSize(v.expectedLength());
        assertThat(securityFor(v).open(v.datagram(), 0, v.datagram().length)).isEqualTo(v.plaintext());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void sealsTheExpectedPlaintextToTheSameBytes(Vector v) {
        DatagramSecurity security = securityFor(v);
        assertThat(security.sealedLength(v.plaintext().length)).isEqualTo(v.expectedLength());
        assertThat(security.seal(v.plaintext(), 0, v.plaintext().length)).isEqualTo(v.datagram());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void opensFromTheMiddleOfALargerBuffer(Vector v) {
        byte[] buffer = new byte[v.datagram().length + 40];
        java.util.Arrays.fill(buffer, (byte) 'x');
        System.arraycopy(v.datagram(), 0, buffer, 23, v.datagram().length);
        assertThat(securityFor(v).open(buffer, 23, v.datagram().length)).isEqualTo(v.plaintext());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void acceptsCrLfAfterTheDigest(Vector v) {
        byte[] d = v.datagram();
        byte[] crlf = new byte[d.length + 1];
        System.arraycopy(d, 0, crlf, 0, 16);
        crlf[16] = '\r';
        System.arraycopy(d, 16, crlf, 17, d.length - 16);
        assertThat(securityFor(v).open(crlf, 0, crlf.length)).isEqualTo(v.plaintext());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void everySingleBitFlipIsRefused(Vector v) {
        DatagramSecurity security = securityFor(v);
        byte[] d = v.datagram().clone();
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
        assertThat(d).isEqualTo(v.datagram());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void truncatedOrExtendedIsRefused(Vector v) {
        DatagramSecurity security = securityFor(v);
        byte[] d = v.datagram();
        assertReason(() -> security.open(d, 0, d.length - 1), Reason.BAD_DIGEST);
        byte[] longer = java.util.Arrays.copyOf(d, d.length + 1);
        assertReason(() -> security.open(longer, 0, longer.length), Reason.BAD_DIGEST);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void wrongKeyOrAlgorithmIsABadDigest(Vector v) {
        MbusKeys right = WireVectors.config(v.folder()).keys();
        byte[] otherHashKey = right.hashKey();
        otherHashKey[0] ^= 1;
        HashAlgorithm otherHash = right.hashAlgorithm() == HashAlgorithm.HMAC_MD5_96
                ? HashAlgorithm.HMAC_SHA1_96 : HashAlgorithm.HMAC_MD5_96;
        for (MbusKeys wrong : List.of(
                new MbusKeys(right.hashAlgorithm(), otherHashKey, right.cipher(), right.cipherKey()),
                new MbusKeys(otherHash, right.hashKey(), right.cipher(), right.cipherKey()),
                new MbusKeys(right.hashAlgorithm(), "MbusTestHasi".getBytes(StandardCharsets.US_ASCII),
                        right.cipher(), right.cipherKey()))) {
            assertReason(() -> new DatagramSecurity(wrong).open(v.datagram(), 0, v.datagram().length),
                    Reason.BAD_DIGEST);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void wrongCipherKeyYieldsOtherBytesNotTheMessage(Vector v) {
        MbusKeys right = WireVectors.config(v.folder()).keys();
        if (right.cipher() == CipherAlgorithm.NOENCR) {
            return; // nothing to get wrong
        }
        byte[] otherCipherKey = right.cipherKey();
        otherCipherKey[3] ^= 0x10;
        MbusKeys wrong = new MbusKeys(right.hashAlgorithm(), right.hashKey(), right.cipher(), otherCipherKey);
        // The digest covers the ciphertext, so it still verifies; the decryption is garbage.
        assertThat(new DatagramSecurity(wrong).open(v.datagram(), 0, v.datagram().length))
                .isNotEqualTo(v.plaintext());
    }
}
