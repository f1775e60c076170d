package dev.mbus.core.config;

import dev.mbus.core.transport.Scope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mbus.core.security.CipherAlgorithm;
import dev.mbus.core.security.HashAlgorithm;
import dev.mbus.core.security.MbusKeys;
import dev.mbus.core.testsupport.KeyFiles;
import dev.mbus.core.testsupport.WireVectors;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MbusConfigFileCreateTest {

    @TempDir
    Path dir;

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    private List<String> filesIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void loadOrCreateMakesAPrivateFileWithReferenceCompatibleKeys() throws IOException {
        Path file = dir.resolve(".mbus");
        MbusConfig created = MbusConfigFile.loadOrCreate(file);

        assertThat(created.keys().hashAlgorithm()).isEqualTo(HashAlgorithm.HMAC_MD5_96);
        assertThat(created.keys().hashKey()).hasSize(12);
        assertThat(created.keys().cipher()).isEqualTo(CipherAlgorithm.DES);
        for (byte b : created.keys().cipherKey()) {
            assertThat(Integer.bitCount(b & 0xff) % 2).isEqualTo(1);
        }
        assertThat(created.scope()).isEqualTo(Scope.HOSTLOCAL);
        assertThat(created.group()).isEqualTo("224.255.222.239");
        assertThat(created.port()).isEqualTo(47000);
        assertThat(MbusConfigFile.read(file)).isEqualTo(created);
        assertThat(MbusConfigFile.loadOrCreate(file)).isEqualTo(created);
        assertThat(Files.readString(file)).startsWith("[MBUS]\nCONFIG_VERSION=1\nHASHKEY=(HMAC-MD5-96,")
                .contains("\nENCRYPTIONKEY=(DES,").endsWith("\nSCOPE=HOSTLOCAL\nADDRESS=224.255.222.239\nPORT=47000\n");
        assertThat(filesIn(dir)).containsExactly(".mbus", ".mbus.lock"); // no temporary file left
        if (posix()) {
            assertThat(mode(file)).isEqualTo("rw-------");
            assertThat(mode(dir.resolve(".mbus.lock"))).isEqualTo("rw-------");
        }
    }

    @Test
    void loadOrCreateReadsAnExistingFileAndNeverReplacesIt() throws IOException {
        Path good = dir.resolve("good.mbus");
        MbusConfig existing = MbusConfig.withDefaults(
                MbusKeys.generate(HashAlgorithm.HMAC_SHA1_96, CipherAlgorithm.AES, new SecureRandom()));
        MbusConfigFile.write(good, existing, false);
        assertThat(MbusConfigFile.loadOrCreate(good)).isEqualTo(existing);

        String content = "[MBUS]\nHASHKEY=(HMAC-MD5-96,not base64!)\n";
        Path bad = KeyFiles.write(dir.resolve("bad.mbus"), content);
        assertThatThrownBy(() -> MbusConfigFile.loadOrCreate(bad))
                .isInstanceOf(MbusConfigException.class)
                .hasMessage(bad + ":2: HASHKEY: bad base64 key");
        assertThat(Files.readString(bad)).isEqualTo(content);

        Path empty = KeyFiles.write(dir.resolve("empty.mbus"), "");
        assertThatThrownBy(() -> MbusConfigFile.loadOrCreate(empty)).isInstanceOf(MbusConfigException.class)
                .hasMessage(empty + ": no [MBUS] line: not an Mbus configuration file");
        assertThat(Files.size(empty)).isZero();
    }

    @Test
    void loadOrCreateInAMissingFolderFailsClearly() {
        Path file = dir.resolve("no-such-folder").resolve(".mbus");
        assertThatThrownBy(() -> MbusConfigFile.loadOrCreate(file))
                .isInstanceOfSatisfying(MbusConfigException.class, e -> assertThat(e.file()).isEqualTo(file))
                .hasMessageStartingWith(file + ": cannot create it: ");
    }

    @Test
    void threadsAndProcessesStartingTogetherAgreeOnOneFile() throws Exception {
        Path file = dir.resolve(".mbus");
        Path start = dir.resolve("start");

        List<Process> processes = new ArrayList<>();
        List<BufferedReader> outputs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Process p = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"),
                    ConcurrentLoadMain.class.getName(), file.toString(), start.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            processes.add(p);
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            outputs.add(out);
        }
        try {
            for (BufferedReader out : outputs) {
                assertThat(out.readLine()).isEqualTo("ready");
            }
            int threads = 8;
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<MbusConfig>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return MbusConfigFile.loadOrCreate(file);
                }));
            }
            Files.createFile(start);
            go.countDown();

            MbusConfig onDisk = null;
            List<String> fingerprints = new ArrayList<>();
            for (Future<MbusConfig> result : results) {
                MbusConfig config = result.get(60, TimeUnit.SECONDS);
                onDisk = onDisk == null ? MbusConfigFile.read(file) : onDisk;
                assertThat(config).isEqualTo(onDisk);
            }
            pool.shutdown();
            for (int i = 0; i < processes.size(); i++) {
                String line = outputs.get(i).readLine();
                assertThat(processes.get(i).waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(processes.get(i).exitValue()).isZero();
                assertThat(line).startsWith("config ");
                fingerprints.add(line.substring("config ".length()));
            }
            assertThat(fingerprints).containsOnly(ConcurrentLoadMain.fingerprint(onDisk));
            assertThat(filesIn(dir)).containsExactly(".mbus", ".mbus.lock", "start");
        } finally {
            for (Process p : processes) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void writeProducesTheCanonicalFileAndReadsBack() throws IOException {
        for (String folder : List.of("noencr", "des")) {
            Path original = WireVectors.root().resolve(folder).resolve("config.mbus");
            Path copy = dir.resolve(folder + ".mbus");
            MbusConfigFile.write(copy, MbusConfigFile.read(WireVectors.config(folder)), false);
            // The reference files are canonical: we write them byte for byte the same.
            assertThat(Files.readAllBytes(copy)).isEqualTo(Files.readAllBytes(original));
        }

        Map<String, String> other = new LinkedHashMap<>();
        other.put("INTERFACE", "lo");
        other.put("TIMER_R", "100");
        MbusConfig config = new MbusConfig(
                MbusKeys.generate(HashAlgorithm.HMAC_SHA1_96, CipherAlgorithm.AES, new SecureRandom()),
                Scope.LINKLOCAL, "239.1.2.3", 47123, other);
        Path file = dir.resolve("written.mbus");
        MbusConfigFile.write(file, config, false);
        assertThat(MbusConfigFile.read(file)).isEqualTo(config);
        assertThat(Files.readString(file)).endsWith("SCOPE=LINKLOCAL\nADDRESS=239.1.2.3\nPORT=47123\nINTERFACE=lo\nTIMER_R=100\n");
        if (posix()) {
            assertThat(mode(file)).isEqualTo("rw-------");
        }
    }

    @Test
    void writeRefusesToOverwriteUnlessTold() throws IOException {
        Path file = dir.resolve("keys.mbus");
        Files.writeString(file, "precious");
        if (posix()) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
        MbusConfig config = MbusConfig.withDefaults(MbusKeys.generate());
        assertThatThrownBy(() -> MbusConfigFile.write(file, config, false))
                .isInstanceOf(MbusConfigException.class)
                .hasMessage(file + ": already exists; not overwriting it without being told to");
        assertThat(Files.readString(file)).isEqualTo("precious");

        MbusConfigFile.write(file, config, true);
        assertThat(MbusConfigFile.read(file)).isEqualTo(config);
        if (posix()) {
            assertThat(mode(file)).isEqualTo("rw-------");
        }
        assertThat(filesIn(dir)).containsExactly("keys.mbus", "keys.mbus.lock");
    }

    @Test
    void locateFollowsMbusThenHome() throws IOException {
        Path home = dir.resolve("home");
        Path folder = Files.createDirectories(dir.resolve("conf"));
        Path named = dir.resolve("elsewhere.cfg");
        assertThat(MbusConfigFile.locate(Map.of(), home)).isEqualTo(home.resolve(".mbus"));
        assertThat(MbusConfigFile.locate(Map.of("MBUS", ""), home)).isEqualTo(home.resolve(".mbus"));
        assertThat(MbusConfigFile.locate(Map.of("MBUS", named.toString()), home)).isEqualTo(named);
        Files.writeString(named, "x");
        assertThat(MbusConfigFile.locate(Map.of("MBUS", named.toString()), home)).isEqualTo(named);
        assertThat(MbusConfigFile.locate(Map.of("MBUS", folder.toString()), home)).isEqualTo(folder.resolve(".mbus"));
        assertThat(MbusConfigFile.defaultLocation().getFileName()).isNotNull();
    }

    @Test
    void defaultLocationIsInTheHomeFolderWithoutMbus() {
        assumeTrue(System.getenv("MBUS") == null);
        String home = System.getenv("HOME") != null ? System.getenv("HOME") : System.getProperty("user.home");
        assertThat(MbusConfigFile.defaultLocation()).isEqualTo(Path.of(home, ".mbus"));
    }
}
