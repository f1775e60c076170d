package dev.mbus.cli;

import dev.mbus.core.InvalidDatagramException;
import dev.mbus.core.codec.DatagramCodec;
import dev.mbus.core.codec.MessageCodec;
import dev.mbus.core.codec.MessageTooLargeException;
import dev.mbus.core.message.Message;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code mbus encode}: Mbus text on stdin to a signed (and encrypted) datagram file. */
@Command(name = "encode",
        header = "Encode one message from Mbus text on stdin into a datagram file.",
        description = {
            "Reads one message in Mbus text from standard input (the header line "
                + "'mbus/1.0 SEQ TIMESTAMP U|R (SRC) (DST) (ACKS)', then one line per command) and writes "
                + "it as a datagram, signed and, when the configuration says so, encrypted, to --out.",
            "The output of 'mbus decode' is valid input."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:datagram written",
            "1:unexpected error",
            "2:bad message text, message too large, or bad arguments"
        })
public final class EncodeCommand implements Callable<Integer> {

    /** More text than this cannot make a datagram; stop reading there. */
    private static final int MAX_INPUT_BYTES = 1 << 20;

    @Mixin
    private ConfigOptions config;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the datagram.")
    private Path out;

    @ParentCommand
    private MbusCommand root;

    @Override
    public Integer call() throws IOException {
        DatagramCodec codec = new DatagramCodec(config.readExisting().keys());
        Message message;
        try {
            message = new MessageCodec().parse(readStdin());
        } catch (InvalidDatagramException e) {
            throw new CliException("standard input: " + e.getMessage());
        }
        byte[] datagram;
        try {
            datagram = codec.encode(message);
        } catch (MessageTooLargeException e) {
            throw new CliException(e.getMessage());
        }
        try {
            Files.write(out, datagram);
        } catch (NoSuchFileException e) {
            throw new CliException(out + ": cannot write: no such directory");
        } catch (AccessDeniedException e) {
            throw new CliException(out + ": cannot write: permission denied");
        } catch (IOException e) {
            throw new CliException(out + ": cannot write: " + e.getMessage());
        }
        return MbusCommand.EXIT_OK;
    }

    private String readStdin() throws IOException {
        byte[] bytes = root.stdin().readNBytes(MAX_INPUT_BYTES + 1);
        if (bytes.length > MAX_INPUT_BYTES) {
            throw new CliException("standard input: more than " + MAX_INPUT_BYTES
                    + " bytes, far more than one datagram can carry");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new CliException("standard input: not valid UTF-8");
        }
    }
}
