package dev.mbus.core.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.mbus.core.InvalidDatagramException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DatagramSecurityTest {

    static final byte[] HASH_KEY = "MbusTestHash".getBytes(StandardCharsets.US_ASCII);
    static final byte[] DES_KEY = HexFormat.of().parseHex("0123456789abcdef");

    static final MbusKeys MD5_NOENCR = new MbusKeys(HashAlgorithm.HMAC_MD5_96, HASH_KEY, CipherAlgorithm.NOENCR, null);
    static final MbusKeys MD5_DES = new MbusKeys(HashAlgorithm.HMAC_MD5_96, HASH_KEY, CipherAlgorithm.DES, DES_KEY);
    static final MbusKeys SHA1_AES128 = new MbusKeys(HashAlgorithm.HMAC_SHA1_96, HASH_KEY, CipherAlgorithm.AES, bytes(16, 1));

    static List<MbusKeys> allKinds() {
        List<MbusKeys> keys = new ArrayList<>();
        for (HashAlgorithm hash : HashAlgorithm.values()) {
            keys.add(new MbusKeys(hash, HASH_KEY, CipherAlgorithm.NOENCR, null));
            keys.add(new MbusKeys(hash, HASH_KEY, CipherAlgorithm.DES, DES_KEY));
            for (int aes : new int[] {16, 24, 32}) {
                keys.add(new MbusKeys(hash, HASH_KEY, CipherAlgorithm.AES, bytes(aes, aes)));
            }
        }
        return keys;
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** An independent digest line: JCA HMAC, java.util.Base64, LF. */
    static byte[] digestLine(MbusKeys keys, byte[] body) throws Exception {
        Mac mac = Mac.getInstance(keys.hashAlgorithm().jcaName());
        mac.init(new SecretKeySpec(keys.hashKey(), keys.hashAlgorithm().jcaName()));
        byte[] hmac = mac.doFinal(body);
        String b64 = Base64.getEncoder().encodeToString(Arrays.copyOf(hmac, 12));
        assertThat(b64).hasSize(16).doesNotContain("=");
        byte[] out = new byte[17 + body.length];
        System.arraycopy(b64.getBytes(StandardCharsets.US_ASCII), 0, out, 0, 16);
        out[16] = '\n';
        System.arraycopy(body, 0, out, 17, body.length);
        return out;
    }

    @Test
    void datagramsOf0To16BytesAreTooShort() {
        DatagramSecurity security = new DatagramSecurity(MD5_NOENCR);
        byte[] valid = security.seal("mbus/1.0 1 2 U () () ()\n".getBytes(StandardCharsets.US_ASCII));
        for (int n = 0; n <= 16; n++) {
            int len = n;
            assertThatThrownBy(() -> security.open(valid, 0, len))
                    .isInstanceOfSatisfying(MbusSecurityException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.TOO_SHORT);
                        assertThat(e).hasMessage("datagram of " + len + " bytes is shorter than a digest line");
                    });
            byte[] lfs = new byte[n];
            Arrays.fill(lfs, (byte) '\n');
            assertReason(() -> security.open(lfs, 0, lfs.length), Reason.TOO_SHORT);
        }
    }

    @Test
    void noLineFeedAfterTheDigestIsRefusedBeforeTheDigestIsChecked() throws Exception {
        DatagramSecurity security = new DatagramSecurity(MD5_NOENCR);
        byte[] good = digestLine(MD5_NOENCR, "hello".getBytes(StandardCharsets.US_ASCII));
        byte[] spaceInsteadOfLf = good.clone();
        spaceInsteadOfLf[16] = ' ';
        assertThatThrownBy(() -> security.open(spaceInsteadOfLf, 0, spaceInsteadOfLf.length))
                .isInstanceOfSatisfying(MbusSecurityException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TOO_SHORT))
                .hasMessage("no LF after the 16-character digest");
        // A short digest line (LF too early) is no digest line either.
        byte[] early = "AAAAAAAAAAAAAAA\nmbus/1.0".getBytes(StandardCharsets.US_ASCII);
        assertReason(() -> security.open(early, 0, early.length), Reason.TOO_SHORT);
        // CR at the end of the datagram, with no LF to follow.
        byte[] crOnly = Arrays.copyOf(good, 17);
        crOnly[16] = '\r';
        assertReason(() -> security.open(crOnly, 0, crOnly.length), Reason.TOO_SHORT);
    }

    @Test
    void crLfAfterTheDigestIsAcceptedAndTheHmacCoversTheBytesAfterTheLf() throws Exception {
        byte[] body = "mbus/1.0 1 2 U () () ()\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] lf = digestLine(MD5_NOENCR, body);
        byte[] crlf = new byte[lf.length + 1];
        System.arraycopy(lf, 0, crlf, 0, 16);
        crlf[16] = '\r';
        crlf[17] = '\n';
        System.arraycopy(body, 0, crlf, 18, body.length);
        assertThat(new DatagramSecurity(MD5_NOENCR).open(crlf, 0, crlf.length)).isEqualTo(body);
    }

    @Test
    void theDigestIsTheBase64OfTheFirst96BitsOfTheHmac() throws Exception {
        for (MbusKeys keys : allKinds()) {
            DatagramSecurity security = new DatagramSecurity(keys);
            for (int n : new int[] {0, 1, 7, 8, 15, 16, 17, 200}) {
                byte[] sealed = security.seal(bytes(n, n));
                byte[] body = Arrays.copyOfRange(sealed, 17, sealed.length);
                assertThat(sealed).as(keys + " " + n).isEqualTo(digestLine(keys, body));
            }
        }
    }

    @Test
    void paddingIsToWholeBlocksAndNoneWhenAligned() {
        DatagramSecurity none = new DatagramSecurity(MD5_NOENCR);
        DatagramSecurity des = new DatagramSecurity(MD5_DES);
        DatagramSecurity aes = new DatagramSecurity(SHA1_AES128);
        int[][] cases = {{0, 17, 17, 17}, {1, 18, 25, 33}, {8, 25, 25, 33}, {9, 26, 33, 33},
            {16, 33, 33, 33}, {17, 34, 41, 49}, {200, 217, 217, 225}, {65_490, 65_507, 65_513, 65_521}};
        for (int[] c : cases) {
            assertThat(none.sealedLength(c[0])).isEqualTo(c[1]);
            assertThat(des.sealedLength(c[0])).isEqualTo(c[2]);
            assertThat(aes.sealedLength(c[0])).isEqualTo(c[3]);
            assertThat(none.seal(new byte[c[0]])).hasSize(c[1]);
            assertThat(des.seal(new byte[c[0]])).hasSize(c[2]);
            assertThat(aes.seal(new byte[c[0]])).hasSize(c[3]);
        }
        assertThatThrownBy(() -> none.sealedLength(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @MethodSource("allKinds")
    void openReversesSealForAllSizesAndOffsets(MbusKeys keys) {
        DatagramSecurity security = new DatagramSecurity(keys);
        Random random = new Random(keys.toString().hashCode());
        for (int i = 0; i < 300; i++) {
            int length = random.nextInt(i < 100 ? 40 : 1500);
            int offset = random.nextInt(10);
            byte[] buffer = new byte[offset + length + random.nextInt(10)];
            random.nextBytes(buffer);
            if (length > 0 && buffer[offset + length - 1] == 0) {
                buffer[offset + length - 1] = 1; // a trailing NUL would be removed
            }
            byte[] message = Arrays.copyOfRange(buffer, offset, offset + length);
            byte[] sealed = security.seal(buffer, offset, length);
            assertThat(sealed).hasSize(security.sealedLength(length));
            if (keys.cipher() != CipherAlgorithm.NOENCR && length >= 8) {
                assertThat(Arrays.copyOfRange(sealed, 17, 17 + length)).isNotEqualTo(message);
            }
            byte[] framed = new byte[sealed.length + 5];
            System.arraycopy(sealed, 0, framed, 3, sealed.length);
            assertThat(security.open(framed, 3, sealed.length)).isEqualTo(message);
        }
    }

    @ParameterizedTest
    @MethodSource("allKinds")
    void trailingNulsAreDroppedOnOpen(MbusKeys keys) {
        DatagramSecurity security = new DatagramSecurity(keys);
        byte[] message = "abc\0\0".getBytes(StandardCharsets.US_ASCII);
        assertThat(security.open(security.seal(message))).isEqualTo("abc".getBytes(StandardCharsets.US_ASCII));
        assertThat(security.open(security.seal(new byte[40]))).isEmpty();
        assertThat(security.open(security.seal(new byte[0]))).isEmpty();
    }

    @Test
    void cipherTextThatIsNotWholeBlocksIsBadCiphertextOnceTheDigestIsValid() throws Exception {
        assertThatThrownBy(() -> new DatagramSecurity(MD5_DES).open(digestLine(MD5_DES, new byte[13])))
                .isInstanceOfSatisfying(MbusSecurityException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.BAD_CIPHERTEXT))
                .hasMessage("ciphertext of 13 bytes is not a whole number of 8-byte blocks");
        for (MbusKeys keys : allKinds()) {
            DatagramSecurity security = new DatagramSecurity(keys);
            int block = keys.cipher().blockSize();
            for (int n = 1; n < 40; n++) {
                byte[] datagram = digestLine(keys, bytes(n, n));
                if (n % block == 0) {
                    assertThat(security.open(datagram)).isNotNull();
                } else {
                    assertReason(() -> security.open(datagram), Reason.BAD_CIPHERTEXT);
                    // With a wrong digest the digest is what is reported: nothing before it.
                    datagram[0] ^= 1;
                    assertReason(() -> security.open(datagram), Reason.BAD_DIGEST);
                }
            }
        }
    }

    @Test
    void badDigestSaysSo() {
        byte[] datagram = new DatagramSecurity(MD5_NOENCR).seal("x".getBytes(StandardCharsets.US_ASCII));
        datagram[3] ^= 2;
        assertThatThrownBy(() -> new DatagramSecurity(MD5_NOENCR).open(datagram))
                .isInstanceOf(MbusSecurityException.class)
                .hasMessage("bad digest");
    }

    @ParameterizedTest
    @MethodSource("allKinds")
    void randomGarbageOnlyEverThrowsMbusSecurityException(MbusKeys keys) throws Exception {
        DatagramSecurity security = new DatagramSecurity(keys);
        Random random = new Random(42);
        int accepted = 0;
        int refused = 0;
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            byte[] garbage = new byte[random.nextInt(120)];
            random.nextBytes(garbage);
            int mode = random.nextInt(4);
            if (mode >= 1 && garbage.length > 16) {
                garbage[16] = '\n';
            }
            if (mode == 3 && garbage.length > 16) {
                // Authentic but random body: exercises decryption and block checks.
                garbage = digestLine(keys, Arrays.copyOfRange(garbage, 17, garbage.length));
            }
            try {
                byte[] plain = security.open(garbage, 0, garbage.length);
                if (mode != 3) {
                    fail("accepted a datagram with a random digest");
                }
                assertThat(plain.length).isLessThanOrEqualTo(garbage.length - 17);
                accepted++;
            } catch (MbusSecurityException e) {
                refused++;
                messages.add(e.getMessage());
            } catch (Throwable t) {
                fail("input " + i + " threw " + t, t);
            }
        }
        assertThat(accepted).isPositive();
        assertThat(refused).isPositive();
        assertNoKeyMaterial(messages, keys);
    }

    static void assertReason(Runnable open, Reason reason) {
        assertThatThrownBy(open::run).isInstanceOfSatisfying(MbusSecurityException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }

    static void assertNoKeyMaterial(List<String> texts, MbusKeys keys) {
        List<String> secrets = new ArrayList<>();
        for (byte[] key : new byte[][] {keys.hashKey(), keys.cipherKey()}) {
            if (key.length > 0) {
                secrets.add(Base64.getEncoder().encodeToString(key));
                secrets.add(HexFormat.of().formatHex(key));
                secrets.add(HexFormat.ofDelimiter(" ").formatHex(key));
                secrets.add(Arrays.toString(key));
                secrets.add(new String(key, StandardCharsets.ISO_8859_1));
            }
        }
        for (String text : texts) {
            for (String secret : secrets) {
                assertThat(text).doesNotContainIgnoringCase(secret);
            }
        }
    }

    @Test
    void openAlwaysReturnsAFreshArray() {
        for (MbusKeys keys : allKinds()) {
            DatagramSecurity security = new DatagramSecurity(keys);
            byte[] message = "mbus/1.0 1 2 U () () ()\n".getBytes(StandardCharsets.US_ASCII); // 24 bytes
            byte[] sealed = security.seal(message);
            byte[] first = security.open(sealed);
            byte[] second = security.open(sealed);
            assertThat(first).isEqualTo(message).isNotSameAs(second).isNotSameAs(sealed);
            first[0] = 'X';
            assertThat(second[0]).isEqualTo((byte) 'm');
            assertThat(security.open(sealed)).isEqualTo(message);
        }
    }

    @Test
    void keysAndRangesAreChecked() {
        DatagramSecurity security = new DatagramSecurity(MD5_DES);
        assertThat(security.keys()).isSameAs(MD5_DES);
        assertThatThrownBy(() -> new DatagramSecurity(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> security.seal(new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> security.open(new byte[40], 30, 20)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> security.open(new byte[40], -1, 20)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void oneInstanceIsSafeToShareBetweenThreads() throws Exception {
        List<Callable<Void>> tasks = new ArrayList<>();
        for (MbusKeys keys : List.of(MD5_NOENCR, MD5_DES, SHA1_AES128)) {
            DatagramSecurity shared = new DatagramSecurity(keys);
            for (int t = 0; t < 4; t++) {
                int seed = t;
                tasks.add(() -> {
                    Random random = new Random(seed);
                    for (int i = 0; i < 3000; i++) {
                        byte[] message = new byte[1 + random.nextInt(300)];
                        random.nextBytes(message);
                        message[message.length - 1] = 'x';
                        byte[] sealed = shared.seal(message);
                        assertThat(sealed).isEqualTo(digestLine(keys, Arrays.copyOfRange(sealed, 17, sealed.length)));
                        assertThat(shared.open(sealed)).isEqualTo(message);
                    }
                    return null;
                });
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (Future<Void> f : pool.invokeAll(tasks)) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
