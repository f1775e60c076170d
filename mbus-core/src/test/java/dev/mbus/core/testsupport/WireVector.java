package dev.mbus.core.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One captured datagram of {@code shared/vectors} with what {@code expected.json} says about it.
 *
 * @param name      the key in expected.json, e.g. {@code noencr/ack.bin}
 * @param file      the {@code .bin} file
 * @param length    the datagram's length in bytes
 * @param plaintext the message text, NUL padding removed
 * @param src       the source address as written, e.g. {@code (app:ucl id:1-1@localhost)}
 * @param dst       the destination address as written
 * @param commands  each command line as written, e.g. {@code test.int (12345)}
 */
public record WireVector(String name, Path file, int length, String plaintext, long seq, long timestamp,
        String type, String src, String dst, List<Long> acks, List<String> commands) {

    /** The vector folder's name: {@code noencr}, {@code des} or {@code sha1-aes}. */
    public String folder() {
        return file.getParent().getFileName().toString();
    }

    /** The configuration file holding the keys that produced this datagram. */
    public Path configFile() {
        return file.resolveSibling("config.mbus");
    }

    public byte[] bytes() {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public byte[] plaintextBytes() {
        return plaintext.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return name;
    }
}
