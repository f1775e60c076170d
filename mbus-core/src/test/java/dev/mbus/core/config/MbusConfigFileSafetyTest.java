package dev.mbus.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mbus.core.security.MbusKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Who may read and change the key file: the rules in {@link MbusConfigFile}'s documentation,
 * on real files. Files of "another user" are given to uid 65534 (nobody), which only root can
 * do; those tests are skipped for other users.
 */
class MbusConfigFileSafetyTest {

    private static final MbusConfig KEYS = MbusConfig.withDefaults(MbusKeys.generate());

    @TempDir
    Path dir;

    @BeforeEach
    void needsUnixOwnersAndModes() {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("unix"), "no owners and modes here");
    }

    private static Path keyFile(Path file, String mode) throws IOException {
        Files.writeString(file, MbusConfigFile.format(KEYS));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    /** A folder with this mode; unlike {@link PosixFilePermissions}, the mode may have the sticky bit. */
    private static Path folder(Path folder, int mode) throws IOException {
        Files.createDirectories(folder);
        Files.setAttribute(folder, "unix:mode", mode);
        return folder;
    }

    /** Gives {@code path} (a link itself, not its target) to uid 65534; only root may. */
    private String giveToAnotherUser(Path path) throws IOException {
        assumeTrue((Integer) Files.getAttribute(dir, "unix:uid") == 0, "only root can give a file to another user");
        var other = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("65534");
        Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setOwner(other);
        return Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).getName();
    }

    private static void assertRefused(ThrowingCallable use, Path file, String detail) {
        assertThatThrownBy(use)
                .isInstanceOfSatisfying(MbusConfigException.class, e -> assertThat(e.file()).isEqualTo(file))
                .hasMessage(file + ": " + detail);
    }

    private static void assertReadRefused(Path file, String detail) {
        assertRefused(() -> MbusConfigFile.read(file), file, detail);
    }

    private List<String> filesIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    // ---------------------------------------------------------------- the findings

    @ParameterizedTest
    @CsvSource({"rw-----w-, 602", "rw--w----, 620", "rw-rw-rw-, 666"})
    void refusesAKeyFileGroupOrOthersMayWrite(String mode, String octal) throws IOException {
        assertRefusedForItsMode(mode, octal);
    }

    @ParameterizedTest
    @CsvSource({"rw-r--r--, 644", "rw-r-----, 640", "r-----r--, 404"})
    void refusesAKeyFileGroupOrOthersMayReadInsteadOfOnlyWarning(String mode, String octal) throws IOException {
        assertRefusedForItsMode(mode, octal);
    }

    private void assertRefusedForItsMode(String mode, String octal) throws IOException {
        Path file = keyFile(dir.resolve(".mbus"), mode);
        assertReadRefused(file, "group or others may read or write it (mode " + octal
                + "), and so read or forge your Mbus messages; run chmod 600 " + file);
    }

    @Test
    void refusesASymlinkAnotherUserPlantedInASharedFolder() throws IOException {
        Path shared = folder(dir.resolve("shared"), 01777);
        Path theirs = keyFile(shared.resolve("their-keys"), "rw-r--r--");
        giveToAnotherUser(theirs);
        Path link = Files.createSymbolicLink(shared.resolve(".mbus"), theirs);
        String owner = giveToAnotherUser(link);

        assertReadRefused(link, "is a symbolic link owned by " + owner
                + ", not by you; not following it: remove it, or use a file of your own instead");
        assertRefused(() -> MbusConfigFile.loadOrCreate(link), link, "is a symbolic link owned by " + owner
                + ", not by you; not following it: remove it, or use a file of your own instead");
    }

    @Test
    void neverCreatesAFileThroughAPlantedLockSymlink() throws IOException {
        Path target = dir.resolve("elsewhere");
        Path lock = Files.createSymbolicLink(dir.resolve(".mbus.lock"), target);
        Path file = dir.resolve(".mbus");

        assertRefused(() -> MbusConfigFile.loadOrCreate(file), file,
                "its lock file " + lock + " is a symbolic link; not following it: remove it");
        assertRefused(() -> MbusConfigFile.write(file, KEYS, false), file,
                "its lock file " + lock + " is a symbolic link; not following it: remove it");
        assertThat(filesIn(dir)).containsExactly(".mbus.lock"); // neither the target nor a key file
    }

    // ---------------------------------------------------------------- owners

    @Test
    void refusesAKeyFileOfAnotherUserEvenInAStickyFolder() throws IOException {
        Path shared = folder(dir.resolve("shared"), 01777);
        Path file = keyFile(shared.resolve(".mbus"), "rw-------");
        String owner = giveToAnotherUser(file);

        assertReadRefused(file, "belongs to " + owner
                + ", not to you, so its keys are not yours alone; use a file of your own instead");
    }

    @Test
    void refusesYourOwnSymlinkToAFileOfAnotherUser() throws IOException {
        Path theirs = keyFile(dir.resolve("their-keys"), "rw-------");
        String owner = giveToAnotherUser(theirs);
        Path link = Files.createSymbolicLink(dir.resolve(".mbus"), theirs);

        assertReadRefused(link, "its link target " + theirs + ": belongs to " + owner
                + ", not to you, so its keys are not yours alone; use a file of your own instead");
    }

    @Test
    void refusesALockFileOfAnotherUser() throws IOException {
        Path lock = Files.createFile(dir.resolve(".mbus.lock"));
        Files.setPosixFilePermissions(lock, PosixFilePermissions.fromString("rw-rw-rw-"));
        String owner = giveToAnotherUser(lock);
        Path file = dir.resolve(".mbus");

        assertRefused(() -> MbusConfigFile.loadOrCreate(file), file,
                "its lock file " + lock + " is not a regular file of yours (owner " + owner + "); remove it");
        assertThat(filesIn(dir)).containsExactly(".mbus.lock");
    }

    // ---------------------------------------------------------------- folders

    @ParameterizedTest
    @ValueSource(ints = {0777, 0770, 0702})
    void refusesAKeyFileInAFolderGroupOrOthersMayWriteWithoutTheStickyBit(int mode) throws IOException {
        Path open = folder(dir.resolve("open"), mode);
        Path file = keyFile(open.resolve(".mbus"), "rw-------");

        assertReadRefused(file, "its folder " + open + " can be written by group or others (mode "
                + Integer.toOctalString(mode) + ") and has no sticky bit, so they could replace the file; run chmod go-w "
                + open);
    }

    @Test
    void refusesToCreateAKeyFileInAFolderOthersMayWrite() throws IOException {
        Path open = folder(dir.resolve("open"), 0777);
        Path file = open.resolve(".mbus");

        assertRefused(() -> MbusConfigFile.loadOrCreate(file), file, "its folder " + open
                + " can be written by group or others (mode 777) and has no sticky bit, so they could replace the file;"
                + " run chmod go-w " + open);
        assertThat(filesIn(open)).isEmpty();
    }

    @Test
    void refusesAKeyFileInAFolderOfAnotherUser() throws IOException {
        Path theirs = folder(dir.resolve("theirs"), 0755);
        Path file = keyFile(theirs.resolve(".mbus"), "rw-------");
        String owner = giveToAnotherUser(theirs);

        assertReadRefused(file, "its folder " + theirs + " belongs to " + owner
                + ", who could replace the file; keep the file in a folder of your own");
    }

    // ---------------------------------------------------------------- symbolic links

    @Test
    void checksTheTargetOfYourOwnSymlinkLikeTheFileItself() throws IOException {
        Path target = keyFile(dir.resolve("keys"), "rw-r--r--");
        Path link = Files.createSymbolicLink(dir.resolve(".mbus"), target);

        assertReadRefused(link, "its link target " + target + ": group or others may read or write it (mode 644),"
                + " and so read or forge your Mbus messages; run chmod 600 " + target);
    }

    @Test
    void refusesALoopOfSymlinks() throws IOException {
        Path a = dir.resolve(".mbus");
        Path b = dir.resolve("other");
        Files.createSymbolicLink(a, b);
        Files.createSymbolicLink(b, a);

        assertThatThrownBy(() -> MbusConfigFile.read(a)).isInstanceOf(MbusConfigException.class)
                .hasMessageEndingWith(": more than 8 symbolic links in a row; not following them");
    }

    // ---------------------------------------------------------------- what is allowed

    @ParameterizedTest
    @ValueSource(strings = {"rw-------", "r--------", "rwx--x--x"})
    void readsYourOwnPrivateFile(String mode) throws IOException {
        Path file = keyFile(dir.resolve(".mbus"), mode);
        assertThat(MbusConfigFile.read(file)).isEqualTo(KEYS);
    }

    @Test
    void followsYourOwnSymlinksToYourOwnPrivateFile() throws IOException {
        Path keys = keyFile(folder(dir.resolve("keys"), 0700).resolve("main.mbus"), "rw-------");
        Path home = folder(dir.resolve("home"), 0755);
        Path link = Files.createSymbolicLink(home.resolve(".mbus"), Path.of("..", "keys", "main.mbus"));
        Path linkToLink = Files.createSymbolicLink(home.resolve(".mbus-too"), link);

        assertThat(MbusConfigFile.read(link)).isEqualTo(KEYS);
        assertThat(MbusConfigFile.read(linkToLink)).isEqualTo(KEYS);
        assertThat(MbusConfigFile.loadOrCreate(link)).isEqualTo(KEYS);
        assertThat(Files.isSymbolicLink(link)).as("the link is left as it is").isTrue();
        assertThat(Files.readString(keys)).isEqualTo(MbusConfigFile.format(KEYS));
    }

    @Test
    void acceptsYourOwnFilesInAStickyWorldWritableFolder() throws IOException {
        Path shared = folder(dir.resolve("shared"), 01777);
        Path file = keyFile(shared.resolve(".mbus"), "rw-------");
        assertThat(MbusConfigFile.read(file)).isEqualTo(KEYS);

        Path created = shared.resolve("new.mbus");
        MbusConfig fresh = MbusConfigFile.loadOrCreate(created);
        assertThat(MbusConfigFile.read(created)).isEqualTo(fresh);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(created))).isEqualTo("rw-------");
    }

    @Test
    void neverCreatesTheKeyFileThroughADanglingSymlink() throws IOException {
        Path target = dir.resolve("elsewhere");
        Path link = Files.createSymbolicLink(dir.resolve(".mbus"), target);

        assertThatThrownBy(() -> MbusConfigFile.loadOrCreate(link)).isInstanceOf(MbusConfigException.class)
                .hasMessage(link + ": cannot read it: no such file or folder");
        assertRefused(() -> MbusConfigFile.write(link, KEYS, false), link,
                "already exists; not overwriting it without being told to");
        assertThat(target).doesNotExist();
    }
}
