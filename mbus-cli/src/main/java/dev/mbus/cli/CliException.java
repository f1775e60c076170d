package dev.mbus.cli;

/**
 * Bad input or a bad argument that a subcommand found: the tool prints the message as one line
 * on stderr, without a stack trace, and exits with {@link MbusCommand#EXIT_BAD_INPUT}.
 */
public class CliException extends RuntimeException {

    public CliException(String message) {
        super(message);
    }
}
