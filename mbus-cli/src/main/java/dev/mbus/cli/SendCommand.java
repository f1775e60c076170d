package dev.mbus.cli;

import dev.mbus.core.DeliveryException;
import dev.mbus.core.InvalidDatagramException;
import dev.mbus.core.codec.MessageCodec;
import dev.mbus.core.codec.MessageTooLargeException;
import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.engine.ProtocolTimers;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.MbusValue;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mbus send}: one message to the entities an address matches. */
@Command(name = "send",
        header = "Send one message to the entities an address matches.",
        description = {
            "Joins the bus, sends one message with the given commands to DEST and leaves. Each COMMAND may be "
                + "followed by its argument list in Mbus syntax, e.g. '(42 \"x\" (1 2))' (default: no arguments); "
                + "several commands travel in one message.",
            "Unreliable (the default): sent at once to the group (or to DEST's endpoint when DEST is the one entity "
                + "heard so far); every entity DEST matches gets it, if any "
                + "listens. --reliable: waits up to --timeout for an entity matching DEST to be heard, sends to "
                + "it (exactly one must match), retransmits as the protocol says, and succeeds when it acknowledges.",
            "When delivery fails, one line on standard error names the reason: unknown destination, "
                + "destination not unique, no acknowledgement."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:sent (unreliable) or acknowledged (reliable)",
            "1:unexpected error",
            "2:bad arguments or configuration file, or a message too large for its destination (nothing sent)",
            "3:delivery failed"
        })
public final class SendCommand implements Callable<Integer> {

    @Mixin
    private ConfigOptions config;

    @Mixin
    private BusOptions bus;

    @Parameters(index = "0", paramLabel = "DEST", description = "Destination address, e.g. \"(app:player)\".")
    private String destination;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND [ARGS]",
            description = "A command name, e.g. player.volume, then optionally its arguments, e.g. \"(42)\".")
    private List<String> commandWords;

    @Option(names = "--reliable", description = "Send reliably and wait for the acknowledgement.")
    private boolean reliable;

    @Option(names = "--timeout", paramLabel = "S", defaultValue = "5",
            description = "With --reliable: how long to wait for the destination to be heard (default: ${DEFAULT-VALUE}).")
    private double timeout;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Duration wait = BusOptions.duration(timeout, "--timeout");
        Address dest = parseDestination(destination);
        List<dev.mbus.core.message.Command> commands = parseCommands(commandWords);
        try (MbusEntity entity = bus.join(config.loadOrCreate(), builder -> builder)) {
            try {
                if (reliable) {
                    sendReliably(entity, dest, commands, wait);
                } else {
                    entity.send(dest, commands);
                }
            } catch (DeliveryException e) {
                if (e.reason() == DeliveryException.Reason.TOO_LARGE_FOR_DESTINATION) {
                    throw new CliException(e.getMessage()); // a bad argument: nothing was sent
                }
                return notDelivered(e);
            } catch (MessageTooLargeException e) {
                throw new CliException(e.getMessage());
            }
            entity.close(Duration.ofMillis(100));
        }
        return MbusCommand.EXIT_OK;
    }

    private void sendReliably(MbusEntity entity, Address dest, List<dev.mbus.core.message.Command> commands,
            Duration wait) throws InterruptedException {
        if (dest.isBroadcast()) {
            throw new CliException("a reliable message needs a destination that matches one entity, not ()");
        }
        try {
            await(entity.awaitPeer(dest, wait), wait.plusSeconds(1));
        } catch (DeliveryException e) {
            throw new DeliveryException(DeliveryException.Reason.UNKNOWN_DESTINATION,
                    "no entity matching " + dest + " heard within " + BusOptions.seconds(wait));
        }
        // The engine fails the send after its last retransmission; the margin only guards against a hang.
        await(entity.sendReliable(dest, commands), ProtocolTimers.RFC.reliableLifetime().plusSeconds(5));
    }

    private static <T> T await(CompletableFuture<T> future, Duration limit) throws InterruptedException {
        try {
            return future.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new DeliveryException(DeliveryException.Reason.TIMEOUT, "no outcome within " + limit.toMillis() + " ms");
        }
    }

    private int notDelivered(DeliveryException e) {
        PrintWriter err = spec.commandLine().getErr();
        spec.commandLine().getOut().flush();
        err.println("mbus send: delivery failed: " + reasonText(e.reason()) + ": " + MbusCommand.oneLine(e.getMessage()));
        err.flush();
        return BusOptions.EXIT_NOT_DELIVERED;
    }

    /** The reason in words: {@code no acknowledgement}, {@code unknown destination}, ... */
    static String reasonText(DeliveryException.Reason reason) {
        return reason.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    static Address parseDestination(String text) {
        try {
            return Address.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CliException("bad destination address '" + text + "': " + e.getMessage());
        }
    }

    /** {@code NAME [(ARGS)] NAME [(ARGS)] ...} to commands. */
    static List<dev.mbus.core.message.Command> parseCommands(List<String> words) {
        MessageCodec codec = new MessageCodec();
        List<dev.mbus.core.message.Command> commands = new ArrayList<>();
        String name = null;
        for (String word : words) {
            if (word.strip().startsWith("(")) {
                if (name == null) {
                    throw new CliException("argument list " + word + " does not follow a command name");
                }
                commands.add(command(name, arguments(codec, name, word)));
                name = null;
            } else {
                if (name != null) {
                    commands.add(command(name, List.of()));
                }
                name = word;
            }
        }
        if (name != null) {
            commands.add(command(name, List.of()));
        }
        return commands;
    }

    private static List<MbusValue> arguments(MessageCodec codec, String name, String text) {
        try {
            return codec.parseArguments(text);
        } catch (InvalidDatagramException e) {
            throw new CliException("bad arguments for " + name + ": " + e.getMessage());
        }
    }

    private static dev.mbus.core.message.Command command(String name, List<MbusValue> args) {
        try {
            return new dev.mbus.core.message.Command(name, args);
        } catch (IllegalArgumentException e) {
            throw new CliException("bad command name '" + name + "': a letter, then letters, digits, '_', '-', '.'");
        }
    }
}
