package dev.mbus.core.config;

import dev.mbus.core.transport.Scope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mbus.core.security.CipherAlgorithm;
import dev.mbus.core.security.HashAlgorithm;
import dev.mbus.core.security.MbusKeys;
import dev.mbus.core.testsupport.KeyFiles;
import dev.mbus.core.testsupport.WireVectors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MbusConfigFileReadTest {

    static final String HASH_B64 = "TWJ1c1Rlc3RIYXNo"; // "MbusTestHash"
    static final String DES_B64 = "ASNFZ4mrze8=";      // 01 23 45 67 89 ab cd ef
    static final String AES_B64 = "AAECAwQFBgcICQoLDA0ODw==";
    static final MbusKeys MD5_DES = new MbusKeys(HashAlgorithm.HMAC_MD5_96,
            "MbusTestHash".getBytes(StandardCharsets.US_ASCII), CipherAlgorithm.DES,
            HexFormat.of().parseHex("0123456789abcdef"));

    @TempDir
    Path dir;

    private Path file(String content) throws IOException {
        return KeyFiles.write(dir.resolve("test.mbus"), content);
    }

    @Test
    void readsTheVectorFiles() {
        MbusConfig des = MbusConfigFile.read(WireVectors.config("des"));
        assertThat(des.keys()).isEqualTo(MD5_DES);
        assertThat(des.scope()).isEqualTo(Scope.HOSTLOCAL);
        assertThat(des.group()).isEqualTo("224.255.222.239");
        assertThat(des.port()).isEqualTo(47000);
        assertThat(des.otherEntries()).isEmpty();

        MbusConfig aes = MbusConfigFile.read(WireVectors.config("sha1-aes"));
        assertThat(aes.keys().hashAlgorithm()).isEqualTo(HashAlgorithm.HMAC_SHA1_96);
        assertThat(aes.keys().hashKey()).isEqualTo("sha1key-for-mbus".getBytes(StandardCharsets.US_ASCII));
        assertThat(aes.keys().cipher()).isEqualTo(CipherAlgorithm.AES);
        assertThat(aes.keys().cipherKey()).isEqualTo(HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f"));

        MbusConfig none = MbusConfigFile.read(WireVectors.config("noencr"));
        assertThat(none.keys().cipher()).isEqualTo(CipherAlgorithm.NOENCR);
        assertThat(none.keys().cipherKey()).isEmpty();
    }

    @Test
    void acceptsOddButValidFiles() throws IOException {
        Path file = file("\uFEFF# written by hand\r\n"
                + "\r\n"
                + "  [MBUS]  \r\n"
                + "; another comment style\r\n"
                + "CONFIG_VERSION = 1\r\n"
                + "HASHKEY = ( HMAC-MD5-96 ,  " + HASH_B64 + " )\r\n"
                + "   # indented comment\r\n"
                + "ENCRYPTIONKEY=(DES, " + DES_B64 + ")\r\n"
                + "INTERFACE=lo\r\n"
                + "SEND_UNICAST = yes\r\n"
                + "\r\n"
                + "scope=linklocal\r\n"
                + "ADDRESS=FF02::300\r\n"
                + "TIMER_R=100\r\n"
                + "PORT= 47001"); // no final line end
        MbusConfig config = MbusConfigFile.read(file);
        assertThat(config.keys()).isEqualTo(MD5_DES);
        assertThat(config.scope()).isEqualTo(Scope.LINKLOCAL);
        assertThat(config.group()).isEqualTo("FF02::300");
        assertThat(config.port()).isEqualTo(47001);
        assertThat(config.otherEntries()).containsExactly(
                Map.entry("INTERFACE", "lo"), Map.entry("SEND_UNICAST", "yes"), Map.entry("TIMER_R", "100"));
    }

    @Test
    void noencrWithAnEmptyKeyAfterTheCommaAsGmbusWritesIt() throws IOException {
        for (String noencr : new String[] {"(NOENCR, )", "(NOENCR,)", "(NOENCR)", "( noencr )"}) {
            MbusConfig config = MbusConfigFile.read(file(
                    "[MBUS]\nHASHKEY=(HMAC-SHA1-96," + HASH_B64 + ")\nENCRYPTIONKEY=" + noencr + "\n"));
            assertThat(config.keys().cipher()).as(noencr).isEqualTo(CipherAlgorithm.NOENCR);
            assertThat(config.keys().hashAlgorithm()).isEqualTo(HashAlgorithm.HMAC_SHA1_96);
        }
    }

    @Test
    void onlyTheHashKeyIsRequired() throws IOException {
        MbusConfig config = MbusConfigFile.read(file("[MBUS]\nHASHKEY=(HMAC-MD5-96," + HASH_B64 + ")\n"));
        assertThat(config).isEqualTo(new MbusConfig(
                new MbusKeys(HashAlgorithm.HMAC_MD5_96, "MbusTestHash".getBytes(StandardCharsets.US_ASCII),
                        CipherAlgorithm.NOENCR, null),
                Scope.HOSTLOCAL, "224.255.222.239", 47000, Map.of()));
    }

    @Test
    void acceptsUnpaddedBase64AndAllAesKeyLengths() throws IOException {
        for (int n : new int[] {16, 24, 32}) {
            byte[] key = new byte[n];
            key[0] = (byte) n;
            String b64 = java.util.Base64.getEncoder().withoutPadding().encodeToString(key);
            MbusConfig config = MbusConfigFile.read(file(
                    "[MBUS]\nHASHKEY=(HMAC-MD5-96,TWJ1c1Rlc3RIYXNo)\nENCRYPTIONKEY=(AES," + b64 + ")\n"));
            assertThat(config.keys().cipherKey()).isEqualTo(key);
        }
    }

    static final String HEAD = "[MBUS]\nCONFIG_VERSION=1\n";
    static final String HASH = "HASHKEY=(HMAC-MD5-96," + HASH_B64 + ")\n";

    static Stream<Arguments> badFiles() {
        return Stream.of(
                // content, line, key, detail
                Arguments.of(HEAD + "HASHKEY=(HMAC-MD5-96,TWJ1c1Rl!!c3RIYXNo)\n", 3, "HASHKEY", "bad base64 key"),
                Arguments.of(HEAD + "HASHKEY=(HMAC-MD5-96,TWJ1c1 Rlc3RIYXNo)\n", 3, "HASHKEY", "bad base64 key"),
                Arguments.of(HEAD + "HASHKEY=(HMAC-SHA256-128," + HASH_B64 + ")\n", 3, "HASHKEY",
                        "unknown hash algorithm (expected HMAC-MD5-96 or HMAC-SHA1-96)"),
                Arguments.of(HEAD + "HASHKEY=(" + HASH_B64 + ",HMAC-MD5-96)\n", 3, "HASHKEY",
                        "unknown hash algorithm (expected HMAC-MD5-96 or HMAC-SHA1-96)"),
                Arguments.of(HEAD + "HASHKEY=HMAC-MD5-96," + HASH_B64 + "\n", 3, "HASHKEY",
                        "expected (ALGORITHM,base64 key)"),
                Arguments.of(HEAD + "HASHKEY=(HMAC-MD5-96)\n", 3, "HASHKEY", "no key after the algorithm"),
                Arguments.of(HEAD + "HASHKEY=(HMAC-MD5-96, )\n", 3, "HASHKEY", "no key after the algorithm"),
                Arguments.of(HEAD + HASH + "ENCRYPTIONKEY=(BLOWFISH," + DES_B64 + ")\n", 4, "ENCRYPTIONKEY",
                        "unknown cipher (expected NOENCR, DES or AES)"),
                Arguments.of(HEAD + HASH + "ENCRYPTIONKEY=(DES,ASNFZ4mrzQ==)\n", 4, "ENCRYPTIONKEY",
                        "wrong key length: DES needs 8 bytes, got 7"),
                Arguments.of(HEAD + HASH + "ENCRYPTIONKEY=(DES," + AES_B64 + ")\n", 4, "ENCRYPTIONKEY",
                        "wrong key length: DES needs 8 bytes, got 16"),
                Arguments.of(HEAD + HASH + "ENCRYPTIONKEY=(AES," + DES_B64 + ")\n", 4, "ENCRYPTIONKEY",
                        "wrong key length: AES needs 16, 24 or 32 bytes, got 8"),
                Arguments.of(HEAD + HASH + "ENCRYPTIONKEY=(DES)\n", 4, "ENCRYPTIONKEY", "no key after DES"),
                Arguments.of(HEAD + HASH + "ENCRYPTIONKEY=(NOENCR," + DES_B64 + ")\n", 4, "ENCRYPTIONKEY",
                        "NOENCR takes no key"),
                Arguments.of(HEAD + HASH + "ENCRYPTIONKEY=(DES,AS*FZ4mrze8=)\n", 4, "ENCRYPTIONKEY", "bad base64 key"),
                Arguments.of("CONFIG_VERSION=1\n" + HASH, 1, "CONFIG_VERSION", "expected the [MBUS] line before any entry"),
                Arguments.of("# only a comment\n" + HASH, 2, "HASHKEY", "expected the [MBUS] line before any entry"),
                Arguments.of("", 0, null, "no [MBUS] line: not an Mbus configuration file"),
                Arguments.of("# nothing\n\n", 0, null, "no [MBUS] line: not an Mbus configuration file"),
                Arguments.of(HEAD + "SCOPE=HOSTLOCAL\n", 0, "HASHKEY", "missing; the file must give the hash key"),
                Arguments.of(HEAD + HASH + "PORT=47x00\n", 4, "PORT", "expected a port number 1..65535"),
                Arguments.of(HEAD + HASH + "PORT=70000\n", 4, "PORT", "expected a port number 1..65535"),
                Arguments.of(HEAD + HASH + "PORT=0\n", 4, "PORT", "expected a port number 1..65535"),
                Arguments.of(HEAD + HASH + "PORT=-1\n", 4, "PORT", "expected a port number 1..65535"),
                Arguments.of(HEAD + HASH + "PORT=\n", 4, "PORT", "expected a port number 1..65535"),
                Arguments.of(HEAD + HASH + "PORT=4700000000000\n", 4, "PORT", "expected a port number 1..65535"),
                Arguments.of(HEAD + HASH + "SCOPE=GLOBAL\n", 4, "SCOPE", "expected HOSTLOCAL or LINKLOCAL"),
                Arguments.of(HEAD + HASH + "ADDRESS=\n", 4, "ADDRESS", "expected a multicast group address"),
                Arguments.of(HEAD + HASH + "ADDRESS=224.1.2.3 extra\n", 4, "ADDRESS", "expected a multicast group address"),
                Arguments.of(HEAD + HASH + HASH_B64 + "\n", 4, null, "expected KEY=value"),
                Arguments.of(HEAD + HASH + "=value\n", 4, null, "no key before '='"),
                Arguments.of(HEAD + HASH + "HASHKEY=(HMAC-SHA1-96," + HASH_B64 + ")\n", 4, "HASHKEY",
                        "given again (first on line 3)"),
                Arguments.of("[MBUS]\nCONFIG_VERSION=2\n" + HASH, 2, "CONFIG_VERSION", "unsupported version (only 1 is known)"),
                Arguments.of(HEAD + HASH + "[OTHER]\n", 4, null, "unexpected section line; only [MBUS] is known"),
                Arguments.of(HEAD + HASH + "[MBUS]\n", 4, null, "second [MBUS] line"));
    }

    @ParameterizedTest(name = "[{index}] line {1} {2}: {3}")
    @MethodSource("badFiles")
    void malformedFilesSayWhereAndWhatButNeverTheKey(String content, int line, String key, String detail)
            throws IOException {
        Path file = file(content);
        String where = file + (line > 0 ? ":" + line : "") + ": " + (key == null ? "" : key + ": ");
        assertThatThrownBy(() -> MbusConfigFile.read(file))
                .isInstanceOfSatisfying(MbusConfigException.class, e -> {
                    assertThat(e.file()).isEqualTo(file);
                    assertThat(e.line()).isEqualTo(line);
                    assertThat(e.key()).isEqualTo(key);
                    assertThat(e).hasMessage(where + detail);
                    for (String secret : new String[] {HASH_B64, "TWJ1c1Rl", "MbusTestHash", DES_B64, "ASNFZ4mrz",
                        "AS*FZ4", AES_B64, "c3RIYXNo"}) {
                        assertThat(e.getMessage()).doesNotContain(secret);
                    }
                });
        assertThat(Files.readString(file)).as("a bad file is left as it is").isEqualTo(content);
    }

    @Test
    void notUtf8AndMissingFilesAreReported() throws IOException {
        Path bad = KeyFiles.write(dir.resolve("latin1.mbus"), "[MBUS]\n# caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> MbusConfigFile.read(bad)).isInstanceOf(MbusConfigException.class)
                .hasMessage(bad + ": not UTF-8 text");
        Path missing = dir.resolve("missing.mbus");
        assertThatThrownBy(() -> MbusConfigFile.read(missing))
                .isInstanceOfSatisfying(MbusConfigException.class, e -> {
                    assertThat(e.file()).isEqualTo(missing);
                    assertThat(e.line()).isZero();
                    assertThat(e.key()).isNull();
                })
                .hasMessage(missing + ": cannot read it: no such file or folder");
    }

    @Test
    void unknownKeysKeepTheirOrderAndTheLastValueWins() throws IOException {
        MbusConfig config = MbusConfigFile.read(file(HEAD + "Zeta=1\n" + HASH + "alpha = two words \nZeta=3\n"));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("Zeta", "3");
        expected.put("alpha", "two words");
        assertThat(config.otherEntries()).containsExactlyEntriesOf(expected);
    }
}
