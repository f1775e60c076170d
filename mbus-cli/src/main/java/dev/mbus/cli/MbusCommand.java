package dev.mbus.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ScopeType;

/**
 * {@code mbus}: the command-line tool of Mbus for Java. It only dispatches to its subcommands.
 *
 * <p>A new subcommand ({@code listen}, {@code send}, {@code keygen}, ...) is a class of its own
 * annotated with {@link Command} (with a one-line {@code header} for the command list; help
 * and version options are inherited), implementing {@code Callable<Integer>}, using
 * {@link ConfigOptions} as a mixin when it needs the bus keys and {@link #stdin()} through
 * {@code @ParentCommand} when it reads standard input; add it to {@code subcommands} below. It
 * reports bad input by throwing {@link CliException} (exit code 2, one line on stderr) or by
 * returning {@link #EXIT_BAD_INPUT} after printing its own lines.
 */
@Command(name = "mbus",
        // Inherited by every subcommand: --help, --version, the exit code list (unless it
        // has its own).
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = MbusCommand.Version.class,
        header = "Tools for the Mbus message bus (RFC 3259).",
        description = "Joins an Mbus bus to listen, send, list and ping its entities; makes keys; measures the bus; "
                + "decodes and encodes datagrams with the keys of an Mbus configuration file.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
            DecodeCommand.class,
            EncodeCommand.class,
            ListenCommand.class,
            SendCommand.class,
            PeersCommand.class,
            PingCommand.class,
            KeygenCommand.class,
            BenchCommand.class,
            BenchReceiverCommand.class,
            CommandLine.HelpCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:unexpected error",
            "2:bad input or bad arguments",
            "3:a message was not delivered, or nobody answered (send, ping)"
        })
public final class MbusCommand {

    public static final int EXIT_OK = CommandLine.ExitCode.OK;
    public static final int EXIT_UNEXPECTED = CommandLine.ExitCode.SOFTWARE;
    public static final int EXIT_BAD_INPUT = CommandLine.ExitCode.USAGE;

    private final InputStream stdin;

    public MbusCommand() {
        this(System.in);
    }

    /** A command reading {@code stdin} as its standard input (tests give their own). */
    public MbusCommand(InputStream stdin) {
        this.stdin = Objects.requireNonNull(stdin, "stdin");
    }

    /** What subcommands read as standard input. */
    public InputStream stdin() {
        return stdin;
    }

    public static void main(String[] args) {
        CliLogging.install(System.err);
        CommandLine commandLine = commandLine(new MbusCommand());
        commandLine.setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
        int exitCode = commandLine.execute(args);
        commandLine.getOut().flush();
        commandLine.getErr().flush();
        System.exit(exitCode);
    }

    /**
     * The command line for {@code root}, with this tool's error handling: usage errors exit
     * with 2 and picocli's message and usage; {@link CliException} exits with 2 and its message
     * as one line; anything else exits with 1 and one line, never a stack trace. Set the
     * output with {@link CommandLine#setOut} and {@link CommandLine#setErr}.
     */
    public static CommandLine commandLine(MbusCommand root) {
        CommandLine commandLine = new CommandLine(root);
        commandLine.setExecutionExceptionHandler(new OneLineErrors());
        return commandLine;
    }

    /** Prints a failure as a single line on stderr. */
    private static final class OneLineErrors implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception exception, CommandLine commandLine,
                CommandLine.ParseResult parseResult) {
            PrintWriter err = commandLine.getErr();
            commandLine.getOut().flush();
            if (exception instanceof CliException) {
                err.println("mbus " + commandLine.getCommandName() + ": " + oneLine(exception.getMessage()));
                err.flush();
                return EXIT_BAD_INPUT;
            }
            err.println("mbus " + commandLine.getCommandName() + ": unexpected error: "
                    + oneLine(exception.toString()));
            err.flush();
            return EXIT_UNEXPECTED;
        }
    }

    /** {@code text} with line breaks turned into spaces, so that an error stays on one line. */
    static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("[\\r\\n]+", " ").strip();
    }

    /** The version of this build, from a resource filled in by Maven. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties properties = new Properties();
            try (InputStream in = MbusCommand.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new String[] {
                "mbus " + properties.getProperty("version", "(unknown version)") + " (Mbus for Java, RFC 3259)",
                "Java " + System.getProperty("java.version") + ", " + System.getProperty("java.vm.name")
            };
        }
    }
}
