package dev.mbus.cli;

import dev.mbus.core.InvalidDatagramException;
import dev.mbus.core.codec.DatagramCodec;
import dev.mbus.core.codec.MessageCodec;
import dev.mbus.core.message.Message;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

/** {@code mbus decode}: verifies and decodes datagrams saved in files. */
@Command(name = "decode",
        header = "Verify and decode datagram files.",
        description = {
            "Verifies (and decrypts) each datagram file with the keys of the configuration file and prints "
                + "the message as canonical Mbus text, preceded by a '# FILE' line when there are several files; "
                + "with --json, one JSON object per line.",
            "A file that cannot be decoded is reported on stderr as 'FILE: reason'; the other files are "
                + "still decoded, and the exit code is 2."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every file decoded",
            "1:unexpected error",
            "2:a file could not be read or decoded, or bad arguments"
        })
public final class DecodeCommand implements Callable<Integer> {

    @Mixin
    private ConfigOptions config;

    @Option(names = "--json", description = "Print one JSON object per datagram, one per line.")
    private boolean json;

    @Parameters(arity = "1..*", paramLabel = "DATAGRAM_FILE", description = "Files holding one datagram each.")
    private List<String> files;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        DatagramCodec codec = new DatagramCodec(config.readExisting().keys());
        MessageCodec text = new MessageCodec();
        MessageJson messageJson = new MessageJson();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean allDecoded = true;
        for (String file : files) {
            Message message;
            try {
                message = codec.decode(readDatagram(file));
            } catch (InvalidDatagramException | UnreadableFileException e) {
                out.flush();
                err.println(file + ": " + MbusCommand.oneLine(e.getMessage()));
                err.flush();
                allDecoded = false;
                continue;
            }
            if (json) {
                ObjectNode node = messageJson.newObject().put("file", file);
                out.print(messageJson.toLine(messageJson.putMessage(node, message)) + "\n");
            } else {
                if (files.size() > 1) {
                    out.print("# " + file + "\n");
                }
                String formatted = text.format(message);
                out.print(formatted.endsWith("\n") ? formatted : formatted + "\n");
            }
        }
        out.flush();
        return allDecoded ? MbusCommand.EXIT_OK : MbusCommand.EXIT_BAD_INPUT;
    }

    /** The content of {@code file}, refusing more than a datagram can hold without reading it all. */
    static byte[] readDatagram(String file) {
        Path path;
        try {
            path = Paths.get(file);
        } catch (InvalidPathException e) {
            throw new UnreadableFileException("invalid file name");
        }
        if (Files.isDirectory(path)) {
            throw new UnreadableFileException("is a directory");
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] bytes = in.readNBytes(DatagramCodec.MAX_DATAGRAM_BYTES + 1);
            if (bytes.length > DatagramCodec.MAX_DATAGRAM_BYTES) {
                String size = Files.isRegularFile(path) ? Files.size(path) + " bytes" : "more bytes";
                throw new UnreadableFileException("oversized: " + size + ", more than the "
                        + DatagramCodec.MAX_DATAGRAM_BYTES + " a datagram can carry");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new UnreadableFileException("no such file");
        } catch (AccessDeniedException e) {
            throw new UnreadableFileException("permission denied");
        } catch (IOException e) {
            throw new UnreadableFileException("cannot read: " + e.getMessage());
        }
    }

    /** A datagram file that could not be read at all, or is too large to be a datagram. */
    static final class UnreadableFileException extends RuntimeException {
        UnreadableFileException(String message) {
            super(message);
        }
    }
}
