package dev.mbus.cli;

import dev.mbus.core.config.MbusConfig;
import dev.mbus.core.config.MbusConfigException;
import dev.mbus.core.config.MbusConfigFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config FILE}: the Mbus configuration file, shared by every subcommand that needs the bus keys. */
public final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Mbus configuration file with the bus keys (default: the file named by $MBUS, else ~/.mbus).")
    private Path file;

    /** The file given, or the default location. */
    public Path path() {
        return file != null ? file : MbusConfigFile.defaultLocation();
    }

    /**
     * Reads the configuration; never creates one (a tool that only reads datagrams must not
     * invent keys).
     *
     * @throws CliException when the file is missing or invalid
     */
    public MbusConfig readExisting() {
        Path path = path();
        if (!Files.exists(path)) {
            throw new CliException("no configuration file " + path
                    + (file == null ? " (the default location; name one with --config FILE)" : ""));
        }
        if (Files.isDirectory(path)) {
            throw new CliException("configuration file " + path + " is a directory");
        }
        try {
            return MbusConfigFile.read(path);
        } catch (MbusConfigException e) {
            throw new CliException(e.getMessage());
        } catch (UncheckedIOException e) {
            throw new CliException("cannot read configuration file " + path + ": " + e.getCause().getMessage());
        }
    }

    /**
     * Reads the configuration, creating it with fresh keys when there is none, as an entity
     * joining a bus does (protocol §9). For subcommands that take part in a bus.
     */
    public MbusConfig loadOrCreate() {
        try {
            return MbusConfigFile.loadOrCreate(path());
        } catch (MbusConfigException e) {
            throw new CliException(e.getMessage());
        } catch (UncheckedIOException e) {
            throw new CliException("cannot use configuration file " + path() + ": " + e.getCause().getMessage());
        }
    }
}
