package dev.mbus.core.security;

import dev.mbus.core.InvalidDatagramException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and encrypts outgoing message bytes into datagrams, and verifies and decrypts
 * incoming datagrams (protocol §2, §9): {@code <16-char base64 digest> LF <message>}.
 *
 * <p>Sending: the message is padded with NUL bytes to the cipher's block size (none when
 * already aligned), encrypted in CBC mode with an all-zero IV, and the digest, the base64 of
 * the first 96 bits of the HMAC of those bytes, is put in front with an LF. Receiving reverses
 * it, checking the digest in constant time before anything else.
 *
 * <p>Thread-safe: each thread gets its own initialised {@link Mac} and {@link Cipher}s, so
 * the per-message cost is the cryptography itself.
 */
public final class DatagramSecurity {

    /** Characters of the base64 digest: 12 bytes, 16 characters, no padding. */
    public static final int DIGEST_CHARS = 16;
    /** Bytes of the HMAC the digest carries (96 bits). */
    public static final int DIGEST_BYTES = 12;
    /** Bytes before the message in a datagram we send: the digest and LF. */
    public static final int HEADER_BYTES = DIGEST_CHARS + 1;

    private static final byte LF = '\n';
    private static final byte CR = '\r';
    /** Decryption scratch kept per thread up to this size; larger ones are not kept. */
    private static final int MAX_KEPT_SCRATCH = 65_536;
    private static final byte[] BASE64 =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);

    private final MbusKeys keys;
    private final CipherAlgorithm cipher;
    private final int blockSize;
    // Only what the per-thread state needs; the MbusKeys copies are made once here.
    private final SecretKeySpec macKey;
    private final SecretKeySpec cipherKey;
    private final ThreadLocal<State> state;

    public DatagramSecurity(MbusKeys keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.cipher = keys.cipher();
        this.blockSize = cipher.blockSize();
        byte[] hk = keys.hashKey();
        this.macKey = new SecretKeySpec(hk, keys.hashAlgorithm().jcaName());
        Arrays.fill(hk, (byte) 0);
        if (cipher == CipherAlgorithm.NOENCR) {
            this.cipherKey = null;
        } else {
            byte[] ck = keys.cipherKey();
            this.cipherKey = new SecretKeySpec(ck, cipher.name());
            Arrays.fill(ck, (byte) 0);
        }
        this.state = ThreadLocal.withInitial(this::newState);
        state.get(); // fail here, not on the first message, if the JDK lacks an algorithm
    }

    public MbusKeys keys() {
        return keys;
    }

    /** The length of the datagram {@link #seal} makes of a message of {@code messageLength} bytes. */
    public int sealedLength(int messageLength) {
        if (messageLength < 0) {
            throw new IllegalArgumentException("negative message length " + messageLength);
        }
        return Math.addExact(HEADER_BYTES, paddedLength(messageLength));
    }

    private int paddedLength(int length) {
        int rem = length % blockSize;
        return rem == 0 ? length : length + (blockSize - rem);
    }

    /** {@link #seal(byte[], int, int)} over the whole array. */
    public byte[] seal(byte[] message) {
        return seal(message, 0, message.length);
    }

    /**
     * Makes the datagram for {@code length} message bytes at {@code offset}: digest, LF, and
     * the message (encrypted, NUL-padded to whole blocks, when a cipher is set).
     *
     * @return a new array of {@link #sealedLength(int) sealedLength(length)} bytes
     * @throws IndexOutOfBoundsException when the range is not inside {@code message}
     */
    public byte[] seal(byte[] message, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, message.length);
        State s = state.get();
        int padded = paddedLength(length);
        byte[] out = new byte[Math.addExact(HEADER_BYTES, padded)];
        System.arraycopy(message, offset, out, HEADER_BYTES, length);
        // The NUL padding is already there: a new array is all zeros.
        if (s.encrypt != null && padded > 0) {
            try {
                s.encrypt.doFinal(out, HEADER_BYTES, padded, out, HEADER_BYTES);
            } catch (GeneralSecurityException e) {
                // Whole blocks, no padding, a buffer of the right size: cannot happen.
                throw new IllegalStateException(cipher + " encryption failed", e);
            }
        }
        s.digest(out, HEADER_BYTES, padded);
        encodeDigest(s.macOut, out);
        out[DIGEST_CHARS] = LF;
        return out;
    }

    /** {@link #open(byte[], int, int)} over the whole array. */
    public byte[] open(byte[] datagram) {
        return open(datagram, 0, datagram.length);
    }

    /**
     * Verifies and decrypts the datagram of {@code length} bytes at {@code offset}.
     *
     * <p>Checks in this order: at least 17 bytes and an LF (or CR LF) after the 16 digest
     * characters ({@link Reason#TOO_SHORT}); the digest, in constant time, before looking at
     * the message ({@link Reason#BAD_DIGEST}); whole cipher blocks ({@link Reason#BAD_CIPHERTEXT}).
     *
     * @return a new array with the message, trailing NUL bytes removed; never shares the input
     * @throws MbusSecurityException for any datagram that fails a check, and nothing else for
     *                               any content
     * @throws IndexOutOfBoundsException when the range is not inside {@code datagram}
     */
    public byte[] open(byte[] datagram, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, datagram.length);
        if (length < HEADER_BYTES) {
            throw new MbusSecurityException(Reason.TOO_SHORT,
                    "datagram of " + length + " bytes is shorter than a digest line");
        }
        int start;
        byte afterDigest = datagram[offset + DIGEST_CHARS];
        if (afterDigest == LF) {
            start = HEADER_BYTES;
        } else if (afterDigest == CR && length > HEADER_BYTES && datagram[offset + HEADER_BYTES] == LF) {
            start = HEADER_BYTES + 1;
        } else {
            throw new MbusSecurityException(Reason.TOO_SHORT,
                    "no LF after the " + DIGEST_CHARS + "-character digest");
        }
        int bodyOffset = offset + start;
        int bodyLength = length - start;

        State s = state.get();
        s.digest(datagram, bodyOffset, bodyLength);
        encodeDigest(s.macOut, s.expected);
        System.arraycopy(datagram, offset, s.received, 0, DIGEST_CHARS);
        if (!MessageDigest.isEqual(s.expected, s.received)) {
            throw new MbusSecurityException(Reason.BAD_DIGEST, "bad digest");
        }

        if (s.decrypt == null) {
            return Arrays.copyOfRange(datagram, bodyOffset, bodyOffset + withoutTrailingNuls(datagram, bodyOffset, bodyLength));
        }
        if (bodyLength % blockSize != 0) {
            throw new MbusSecurityException(Reason.BAD_CIPHERTEXT, "ciphertext of " + bodyLength
                    + " bytes is not a whole number of " + blockSize + "-byte blocks");
        }
        byte[] plain = s.scratch(bodyLength);
        boolean kept = plain == s.scratch;
        try {
            s.decrypt.doFinal(datagram, bodyOffset, bodyLength, plain, 0);
        } catch (GeneralSecurityException e) {
            throw new MbusSecurityException(Reason.BAD_CIPHERTEXT,
                    "ciphertext of " + bodyLength + " bytes could not be decrypted");
        }
        int plainLength = withoutTrailingNuls(plain, 0, bodyLength);
        if (!kept && plainLength == plain.length) {
            return plain; // decrypted into a fresh, exactly sized array: hand it over
        }
        byte[] result = Arrays.copyOf(plain, plainLength);
        if (kept) {
            Arrays.fill(plain, 0, bodyLength, (byte) 0); // no plaintext lingers in the scratch
        }
        return result;
    }

    private static int withoutTrailingNuls(byte[] bytes, int offset, int length) {
        int end = length;
        while (end > 0 && bytes[offset + end - 1] == 0) {
            end--;
        }
        return end;
    }

    /** Writes the base64 of {@code mac[0..12)} as 16 ASCII bytes at the start of {@code out}. */
    private static void encodeDigest(byte[] mac, byte[] out) {
        for (int i = 0, o = 0; i < DIGEST_BYTES; i += 3, o += 4) {
            int bits = (mac[i] & 0xff) << 16 | (mac[i + 1] & 0xff) << 8 | (mac[i + 2] & 0xff);
            out[o] = BASE64[bits >>> 18];
            out[o + 1] = BASE64[(bits >>> 12) & 0x3f];
            out[o + 2] = BASE64[(bits >>> 6) & 0x3f];
            out[o + 3] = BASE64[bits & 0x3f];
        }
    }

    private State newState() {
        try {
            Mac mac = Mac.getInstance(macKey.getAlgorithm());
            mac.init(macKey);
            Cipher encrypt = null;
            Cipher decrypt = null;
            if (cipherKey != null) {
                String transformation = cipher.name() + "/CBC/NoPadding";
                IvParameterSpec zeroIv = new IvParameterSpec(new byte[blockSize]);
                encrypt = Cipher.getInstance(transformation);
                encrypt.init(Cipher.ENCRYPT_MODE, cipherKey, zeroIv);
                decrypt = Cipher.getInstance(transformation);
                decrypt.init(Cipher.DECRYPT_MODE, cipherKey, zeroIv);
            }
            return new State(mac, encrypt, decrypt);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot do " + keys, e);
        }
    }

    /** One thread's initialised algorithms and buffers. */
    private static final class State {
        final Mac mac;
        final Cipher encrypt;
        final Cipher decrypt;
        final byte[] macOut;
        final byte[] expected = new byte[DIGEST_CHARS];
        final byte[] received = new byte[DIGEST_CHARS];
        byte[] scratch = new byte[0];

        State(Mac mac, Cipher encrypt, Cipher decrypt) {
            this.mac = mac;
            this.encrypt = encrypt;
            this.decrypt = decrypt;
            this.macOut = new byte[mac.getMacLength()];
        }

        /** HMAC of the range into {@link #macOut}; the Mac is left ready for the next one. */
        void digest(byte[] bytes, int offset, int length) {
            mac.update(bytes, offset, length);
            try {
                mac.doFinal(macOut, 0);
            } catch (ShortBufferException e) {
                throw new IllegalStateException(e); // macOut has the Mac's length
            }
        }

        /** A buffer of at least {@code length} bytes: the kept scratch, or a fresh exact one. */
        byte[] scratch(int length) {
            if (scratch.length >= length) {
                return scratch;
            }
            if (length > MAX_KEPT_SCRATCH) {
                return new byte[length];
            }
            scratch = new byte[Math.max(length, Math.min(MAX_KEPT_SCRATCH, 2 * scratch.length))];
            return scratch;
        }
    }
}
