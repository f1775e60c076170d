package dev.mbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.core.testsupport.WireVector;
import dev.mbus.core.testsupport.WireVectors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code bin/mbus} as a user runs it: from other folders, through symlinks, on the shaded jar.
 * Runs in the integration-test phase, after {@code package} built the jar.
 */
class LauncherIT {

    private static final Path LAUNCHER = Paths.get(System.getProperty("mbus.launcher", "../bin/mbus"))
            .toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    record Run(int exitCode, String out, String err) {
        List<String> outLines() {
            return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
        }

        List<String> errLines() {
            return err.isEmpty() ? List.of() : Arrays.asList(err.split("\n"));
        }
    }

    private Run run(Path command, Path workDir, String... args) throws IOException, InterruptedException {
        List<String> commandLine = new ArrayList<>();
        commandLine.add(command.toString());
        commandLine.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process process = new ProcessBuilder(commandLine).directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("finished in time").isTrue();
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** A copy of a vector folder's configuration readable by its owner only, as a user keeps one. */
    private Path privateConfig(String folder) throws IOException {
        Path copy = tmp.resolve(folder + ".mbus");
        Files.copy(WireVectors.config(folder), copy);
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-------"));
        return copy;
    }

    @Test
    void decodesFromAnotherFolderThroughSymlinks() throws Exception {
        Path links = Files.createDirectories(tmp.resolve("links"));
        Path link1 = Files.createSymbolicLink(links.resolve("mbus-real"), LAUNCHER);
        Path link2 = Files.createSymbolicLink(links.resolve("mbus"), Paths.get("mbus-real"));
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        List<WireVector> vectors = WireVectors.in("noencr");
        List<String> args = new ArrayList<>(List.of("decode", "--config", privateConfig("noencr").toString(), "--json"));
        vectors.forEach(v -> args.add(v.file().toString()));

        for (Path launcher : List.of(LAUNCHER, link1, link2)) {
            Run run = run(launcher, elsewhere, args.toArray(String[]::new));

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.err()).isEmpty();
            assertThat(run.outLines()).hasSize(vectors.size());
            for (int i = 0; i < vectors.size(); i++) {
                var json = JsonMapper.builder().build().readTree(run.outLines().get(i));
                assertThat(json.get("file").stringValue()).isEqualTo(vectors.get(i).file().toString());
                assertThat(json.get("seq").longValue()).isEqualTo(vectors.get(i).seq());
            }
        }
    }

    @Test
    void takesRelativePathsFromTheCallersFolder() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("work"));
        Files.copy(WireVectors.root().resolve("des/hello.bin"), folder.resolve("hello.bin"));
        Files.move(privateConfig("des"), folder.resolve("config.mbus"));

        Run run = run(LAUNCHER, folder, "decode", "--config", "config.mbus", "hello.bin", "missing.bin");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).startsWith("# hello.bin\nmbus/1.0 3 1795672101102 U ");
        assertThat(run.errLines()).containsExactly("missing.bin: no such file");
    }

    @Test
    void refusesOnOneLineKeysOthersCanRead() throws Exception {
        Path config = privateConfig("noencr");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));

        Run run = run(LAUNCHER, tmp, "decode", "--json", "--config", config.toString(),
                WireVectors.root().resolve("noencr/hello.bin").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).startsWith("mbus decode: " + config + ": group or others may read or write it")
                .contains("run chmod 600 " + config);
    }

    @Test
    void passesExitCodesAndHelpThrough() throws Exception {
        assertThat(run(LAUNCHER, tmp, "--help").out()).contains("Usage: mbus ");
        assertThat(run(LAUNCHER, tmp, "--version").out()).startsWith("mbus 0.");
        Run usage = run(LAUNCHER, tmp, "decode");
        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.err()).doesNotContain("\tat ");
    }

    @Test
    void saysHowToBuildWhenTheJarIsMissing() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("checkout/bin"));
        Path copy = Files.copy(LAUNCHER, bin.resolve("mbus"), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);

        Run run = run(copy, tmp, "--help");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("mbus-cli.jar is not built yet")
                .contains("mvn -q -DskipTests package -pl mbus-cli -am");
    }
}
