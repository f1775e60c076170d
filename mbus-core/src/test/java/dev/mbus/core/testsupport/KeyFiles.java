package dev.mbus.core.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Key files for tests as {@link dev.mbus.core.config.MbusConfigFile#read} accepts them:
 * readable and writable by their owner only (mode 0600) where the file system has modes.
 */
public final class KeyFiles {

    private KeyFiles() {
    }

    /** Writes {@code content} to {@code file}, then makes it the owner's only. */
    public static Path write(Path file, byte[] content) throws IOException {
        return ownerOnly(Files.write(file, content));
    }

    /** {@link #write(Path, byte[])} with UTF-8 text. */
    public static Path write(Path file, String content) throws IOException {
        return write(file, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Makes {@code file} readable and writable by its owner only (chmod 600). */
    public static Path ownerOnly(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        return file;
    }
}
