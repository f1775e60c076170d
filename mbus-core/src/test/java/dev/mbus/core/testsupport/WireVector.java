package dev.mbus.core.testsupport;

import dev.mbus.core.codec.MessageCodec;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.Message;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

    /**
     * The message expected.json describes; each command line is read by the codec inside a
     * minimal message, so values compare as values whatever their spelling ({@code -0.5e3}).
     */
    public Message expectedMessage() {
        MessageCodec codec = new MessageCodec();
        List<Command> parsed = new ArrayList<>();
        for (String line : commands) {
            parsed.add(codec.parse("mbus/1.0 0 0 U () () ()\n" + line + "\n").commands().get(0));
        }
        return new Message(seq, timestamp, type.equals("R"), Address.parse(src), Address.parse(dst), acks, parsed);
    }

    public byte[] plaintextBytes() {
        return plaintext.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return name;
    }
}
