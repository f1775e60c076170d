package dev.mbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MbusCommandTest {

    @Test
    void helpListsTheSubcommands() {
        Cli.Result result = Cli.run("--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Usage: mbus [-hV] COMMAND")
                .contains("decode  Verify and decode datagram files.")
                .contains("encode  Encode one message").contains("Exit codes:");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void subcommandsHaveHelp() {
        for (String[] args : new String[][] {{"decode", "--help"}, {"encode", "--help"}, {"help", "decode"}}) {
            Cli.Result result = Cli.run(args);
            assertThat(result.exitCode()).as(String.join(" ", args)).isZero();
            assertThat(result.out()).contains("--config=FILE");
        }
        assertThat(Cli.run("decode", "--help").out()).contains("DATAGRAM_FILE...").contains("--json");
        assertThat(Cli.run("encode", "--help").out()).contains("--out=FILE");
    }

    @Test
    void versionNamesTheBuild() {
        Cli.Result result = Cli.run("--version");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("mbus 0.").doesNotContain("@project.version@");
        assertThat(Cli.run("decode", "--version").out()).isEqualTo(result.out());
    }

    @Test
    void noSubcommandIsAUsageError() {
        Cli.Result result = Cli.run();

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Missing required subcommand").contains("Usage: mbus");
    }

    @Test
    void unknownOptionsAndSubcommandsAreUsageErrors() {
        assertThat(Cli.run("frobnicate").exitCode()).isEqualTo(2);
        Cli.Result result = Cli.run("decode", "--bogus", "x.bin");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--bogus").doesNotContain("\tat ");
    }

    @Test
    void anUnexpectedErrorIsOneLineWithoutStackTrace() {
        StringWriter err = new StringWriter();
        CommandLine commandLine = MbusCommand.commandLine(new MbusCommand());
        commandLine.addSubcommand("boom", new Boom());
        commandLine.setOut(new PrintWriter(new StringWriter()));
        commandLine.setErr(new PrintWriter(err));

        int exitCode = commandLine.execute("boom");

        assertThat(exitCode).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("mbus boom: unexpected error: java.lang.IllegalStateException: two lines\n");
    }

    @CommandLine.Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalStateException("two\nlines");
        }
    }
}
