package dev.mbus.cli;

import dev.mbus.core.config.MbusConfig;
import dev.mbus.core.config.MbusConfigException;
import dev.mbus.core.config.MbusConfigFile;
import dev.mbus.core.security.CipherAlgorithm;
import dev.mbus.core.security.HashAlgorithm;
import dev.mbus.core.security.MbusKeys;
import dev.mbus.core.transport.Scope;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mbus keygen}: a configuration file with fresh keys. */
@Command(name = "keygen",
        header = "Write a configuration file with fresh keys.",
        description = {
            "Generates a fresh hash key (12 random bytes) and cipher key (DES: 8 bytes with odd parity; "
                + "AES: 16 bytes) and writes them, with the scope, group and port, as an Mbus configuration file "
                + "readable by its owner only (0600). An existing file is never replaced without --force.",
            "Every entity of a bus needs the same file: copy it to the others (e.g. with scp), never through "
                + "a channel others can read. Prints where it wrote, never the keys; --out - prints the file itself."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:written",
            "1:unexpected error",
            "2:the file exists (and no --force), cannot be written, or bad arguments"
        })
public final class KeygenCommand implements Callable<Integer> {

    @Option(names = "--hash", paramLabel = "ALGORITHM", defaultValue = "HMAC-MD5-96",
            description = "HMAC-MD5-96 or HMAC-SHA1-96 (default: ${DEFAULT-VALUE}).")
    private String hash;

    @Option(names = "--cipher", paramLabel = "CIPHER", defaultValue = "DES",
            description = "NOENCR, DES or AES (default: ${DEFAULT-VALUE}, as the reference implementation writes).")
    private String cipher;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Where to write (default: the file named by $MBUS, else ~/.mbus); - for standard output.")
    private String out;

    @Option(names = "--force", description = "Replace an existing file.")
    private boolean force;

    @Option(names = "--scope", paramLabel = "SCOPE", defaultValue = "HOSTLOCAL",
            description = "SCOPE entry of the file: HOSTLOCAL or LINKLOCAL (default: ${DEFAULT-VALUE}).")
    private String scope;

    @Option(names = "--group", paramLabel = "IP", defaultValue = MbusConfig.DEFAULT_GROUP,
            description = "ADDRESS entry of the file: the multicast group (default: ${DEFAULT-VALUE}).")
    private String group;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "47000",
            description = "PORT entry of the file (default: ${DEFAULT-VALUE}).")
    private int port;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        MbusConfig config;
        try {
            MbusKeys keys = MbusKeys.generate(HashAlgorithm.fromConfigName(hash), CipherAlgorithm.fromConfigName(cipher),
                    new SecureRandom());
            config = new MbusConfig(keys, Scope.parse(scope), group.strip(), port, Map.of());
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        PrintWriter stdout = spec.commandLine().getOut();
        if ("-".equals(out)) {
            stdout.print(MbusConfigFile.format(config));
            stdout.flush();
            return MbusCommand.EXIT_OK;
        }
        Path file = out != null ? Path.of(out) : MbusConfigFile.defaultLocation();
        if (Files.isDirectory(file)) {
            throw new CliException(file + " is a directory");
        }
        try {
            MbusConfigFile.write(file, config, force);
        } catch (MbusConfigException e) {
            String message = e.getMessage();
            if (!force && Files.exists(file)) {
                message = file + " already exists; --force replaces it (and its keys)";
            }
            throw new CliException(message);
        }
        stdout.print("wrote " + file + " (" + config.keys().hashAlgorithm().configName() + ", "
                + config.keys().cipher() + ")\n");
        stdout.flush();
        return MbusCommand.EXIT_OK;
    }
}
