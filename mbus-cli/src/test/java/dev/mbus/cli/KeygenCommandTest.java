package dev.mbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.core.config.MbusConfig;
import dev.mbus.core.config.MbusConfigFile;
import dev.mbus.core.security.CipherAlgorithm;
import dev.mbus.core.security.HashAlgorithm;
import dev.mbus.core.testsupport.KeyFiles;
import dev.mbus.core.transport.Scope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeygenCommandTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"HMAC-MD5-96,NOENCR", "HMAC-MD5-96,DES", "HMAC-SHA1-96,AES", "hmac-sha1-96,des"})
    void writesAPrivateFileWithTheChosenAlgorithms(String hash, String cipher) throws IOException {
        Path out = tmp.resolve("new.mbus");

        Cli.Result result = Cli.run("keygen", "--hash", hash, "--cipher", cipher, "--out", out.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("wrote " + out + " (" + HashAlgorithm.fromConfigName(hash).configName() + ", "
                + CipherAlgorithm.fromConfigName(cipher) + ")\n");
        assertThat(result.err()).isEmpty();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
        MbusConfig config = MbusConfigFile.read(out);
        assertThat(config.keys().hashAlgorithm()).isEqualTo(HashAlgorithm.fromConfigName(hash));
        assertThat(config.keys().cipher()).isEqualTo(CipherAlgorithm.fromConfigName(cipher));
        assertThat(config.scope()).isEqualTo(Scope.HOSTLOCAL);
        assertThat(config.port()).isEqualTo(47000);
        assertThat(result.out()).doesNotContain(java.util.Base64.getEncoder().encodeToString(config.keys().hashKey()));
    }

    @Test
    void neverOverwritesWithoutForce() throws IOException {
        Path out = tmp.resolve("keys.mbus");
        assertThat(Cli.run("keygen", "--out", out.toString()).exitCode()).isZero();
        String before = Files.readString(out);

        Cli.Result refused = Cli.run("keygen", "--out", out.toString(), "--cipher", "AES");

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.errLines()).containsExactly("mbus keygen: " + out + " already exists; --force replaces it (and its keys)");
        assertThat(Files.readString(out)).isEqualTo(before);

        Cli.Result forced = Cli.run("keygen", "--out", out.toString(), "--cipher", "AES", "--force");

        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        assertThat(Files.readString(out)).isNotEqualTo(before);
        assertThat(MbusConfigFile.read(out).keys().cipher()).isEqualTo(CipherAlgorithm.AES);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
    }

    @Test
    void writesTheBusSettingsGiven() {
        Path out = tmp.resolve("link.mbus");

        Cli.Result result = Cli.run("keygen", "--out", out.toString(), "--scope", "linklocal", "--port", "47123",
                "--group", "224.1.2.3");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        MbusConfig config = MbusConfigFile.read(out);
        assertThat(config.scope()).isEqualTo(Scope.LINKLOCAL);
        assertThat(config.port()).isEqualTo(47123);
        assertThat(config.group()).isEqualTo("224.1.2.3");
    }

    @Test
    void printsTheFileForOutDash() throws IOException {
        Cli.Result result = Cli.run("keygen", "--out", "-", "--cipher", "NOENCR");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("[MBUS]\nCONFIG_VERSION=1\nHASHKEY=(HMAC-MD5-96,")
                .contains("ENCRYPTIONKEY=(NOENCR)\n");
        Path copy = KeyFiles.write(tmp.resolve("copy.mbus"), result.out());
        assertThat(MbusConfigFile.read(copy).keys().cipher()).isEqualTo(CipherAlgorithm.NOENCR);
    }

    @Test
    void refusesBadChoicesOnOneLine() {
        Path out = tmp.resolve("x.mbus");
        for (String[] args : new String[][] {
            {"keygen", "--out", out.toString(), "--cipher", "ROT13"},
            {"keygen", "--out", out.toString(), "--hash", "SHA256"},
            {"keygen", "--out", out.toString(), "--scope", "GLOBAL"},
            {"keygen", "--out", out.toString(), "--port", "0"},
            {"keygen", "--out", tmp.toString()},
            {"keygen", "--out", tmp.resolve("no/such/folder/x.mbus").toString()},
        }) {
            Cli.Result result = Cli.run(args);
            assertThat(result.exitCode()).as(String.join(" ", args) + "\n" + result).isEqualTo(2);
            assertThat(result.errLines()).hasSize(1);
            assertThat(result.err()).startsWith("mbus keygen: ");
        }
        assertThat(out).doesNotExist();
    }
}
