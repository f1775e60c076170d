package dev.mbus.core.config;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Opens the key file, its lock file and new key files by the rules in {@link MbusConfigFile}'s
 * documentation, so that no other user can slip in a file, or a symbolic link, of their own.
 * Refusals are {@link MbusConfigException}s naming the configuration file and what to do;
 * trouble reading attributes or contents is an {@link IOException}.
 */
final class KeyFileGuard {

    /** Symbolic links followed in a row before giving up (also ends a loop of links). */
    private static final int MAX_LINKS = 8;
    private static final int GROUP_OR_OTHERS_READ_WRITE = 0066;
    private static final int GROUP_OR_OTHERS_WRITE = 0022;
    private static final int STICKY = 01000;
    private static final int ROOT = 0;
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private KeyFileGuard() {
    }

    /**
     * Whether the rules apply: they need the owners and modes of the "unix" attribute view
     * (Linux, macOS and other Unix). Elsewhere, Windows for one, files are used as they are,
     * as before the rules existed.
     */
    private static boolean applies(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("unix");
    }

    /** The contents of the key file {@code file}, following only symbolic links of the user's own. */
    static byte[] read(Path file) throws IOException {
        if (!applies(file)) {
            return Files.readAllBytes(file);
        }
        Path current = file;
        for (int links = 0; ; links++) {
            checkFolder(file, current);
            Facts facts = Facts.of(current, NOFOLLOW);
            if (!facts.symbolicLink()) {
                return readRegularFile(file, current, facts);
            }
            if (!facts.ownedByYou()) {
                throw refused(file, current, "is a symbolic link owned by " + facts.owner().getName()
                        + ", not by you; not following it: remove it, or use a file of your own instead");
            }
            if (links == MAX_LINKS) {
                throw refused(file, current, "more than " + MAX_LINKS + " symbolic links in a row; not following them");
            }
            current = current.toAbsolutePath().resolveSibling(Files.readSymbolicLink(current));
        }
    }

    private static byte[] readRegularFile(Path file, Path current, Facts facts) throws IOException {
        if (!facts.regularFile()) {
            throw refused(file, current, "is not a regular file");
        }
        if (!facts.ownedByYou()) {
            throw refused(file, current, "belongs to " + facts.owner().getName()
                    + ", not to you, so its keys are not yours alone; use a file of your own instead");
        }
        if (facts.has(GROUP_OR_OTHERS_READ_WRITE)) {
            throw refused(file, current, "group or others may read or write it (mode " + facts.octalMode()
                    + "), and so read or forge your Mbus messages; run chmod 600 " + current);
        }
        try (SeekableByteChannel channel = Files.newByteChannel(current, StandardOpenOption.READ, NOFOLLOW)) {
            // The JDK cannot read the attributes of an open channel: make sure what was opened is
            // the file checked above. Only someone who may write the folder could swap it twice,
            // and the folder rule keeps others out.
            if (!Objects.equals(Facts.of(current, NOFOLLOW).fileKey(), facts.fileKey())) {
                throw refused(file, current, "was replaced while being opened; try again");
            }
            return Channels.newInputStream(channel).readAllBytes();
        }
    }

    /** Refuses to create {@code file} (or its lock) in a folder other users can change. */
    static void checkFolder(Path file) throws IOException {
        if (applies(file)) {
            checkFolder(file, file);
        }
    }

    /** The folder rule, for the folder holding {@code current} (the key file or a link on the way to it). */
    private static void checkFolder(Path file, Path current) throws IOException {
        Path folder = current.toAbsolutePath().getParent();
        Facts facts = Facts.of(folder); // following links: it is the folder itself that counts
        if (!facts.ownedByYou() && facts.uid() != ROOT) {
            throw refused(file, current, "its folder " + folder + " belongs to " + facts.owner().getName()
                    + ", who could replace the file; keep the file in a folder of your own");
        }
        if (facts.has(GROUP_OR_OTHERS_WRITE) && !facts.has(STICKY)) {
            throw refused(file, current, "its folder " + folder + " can be written by group or others (mode "
                    + facts.octalMode() + ") and has no sticky bit, so they could replace the file; run chmod go-w "
                    + folder);
        }
    }

    /**
     * Opens {@code lockFile}, the lock of {@code file}, for writing: created readable and
     * writable by its owner only when absent, never through a symbolic link, and refused when
     * it is not a regular file of the user's own.
     */
    static FileChannel openLock(Path file, Path lockFile) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile,
                    Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, NOFOLLOW), ownerOnly(lockFile));
        } catch (IOException e) {
            if (Files.isSymbolicLink(lockFile)) {
                throw new MbusConfigException(file, 0, null,
                        "its lock file " + lockFile + " is a symbolic link; not following it: remove it", e);
            }
            throw e;
        }
        try {
            if (applies(lockFile)) {
                Facts facts = Facts.of(lockFile, NOFOLLOW);
                if (!facts.regularFile() || !facts.ownedByYou()) {
                    throw new MbusConfigException(file, 0, null, "its lock file " + lockFile
                            + " is not a regular file of yours (owner " + facts.owner().getName() + "); remove it");
                }
            }
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Creates {@code path} for writing, readable and writable by its owner only; fails when
     * anything, a symbolic link included, already has that name.
     */
    static FileChannel createNew(Path path) throws IOException {
        return FileChannel.open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnly(path));
    }

    private static FileAttribute<?>[] ownerOnly(Path path) {
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
        }
        return new FileAttribute<?>[0];
    }

    private static MbusConfigException refused(Path file, Path current, String problem) {
        String subject = current.equals(file) ? "" : "its link target " + current + ": ";
        return new MbusConfigException(file, 0, null, subject + problem);
    }

    /** The user this process runs as. */
    private static UserPrincipal you() throws IOException {
        try {
            // Linux: the process's own folder in /proc belongs to that user, even to one without a name.
            return Files.getOwner(Path.of("/proc/self"));
        } catch (IOException noProc) {
            // Elsewhere (macOS, BSD): the user name the JDK found for this process.
            return FileSystems.getDefault().getUserPrincipalLookupService()
                    .lookupPrincipalByName(System.getProperty("user.name"));
        }
    }

    /** What the file system says about one path. */
    private record Facts(boolean symbolicLink, boolean regularFile, int uid, UserPrincipal owner, int mode,
                         Object fileKey) {

        static Facts of(Path path, LinkOption... options) throws IOException {
            Map<String, Object> a = Files.readAttributes(path,
                    "unix:isSymbolicLink,isRegularFile,uid,owner,mode,fileKey", options);
            return new Facts((Boolean) a.get("isSymbolicLink"), (Boolean) a.get("isRegularFile"),
                    (Integer) a.get("uid"), (UserPrincipal) a.get("owner"), (Integer) a.get("mode"), a.get("fileKey"));
        }

        /** Whether the owner is the user running this process (user principals are equal when their ids are). */
        boolean ownedByYou() throws IOException {
            return owner.equals(you());
        }

        /** Whether any of {@code modeBits} is set. */
        boolean has(int modeBits) {
            return (mode & modeBits) != 0;
        }

        String octalMode() {
            return Integer.toOctalString(mode & 07777);
        }
    }
}
