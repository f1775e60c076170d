package dev.mbus.cli;

import dev.mbus.core.codec.MessageCodec;
import dev.mbus.core.engine.IncomingCommand;
import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.message.Message;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mbus listen}: joins the bus and prints what it receives. */
@Command(name = "listen",
        header = "Join the bus and print the messages received.",
        description = {
            "Joins the bus as an entity and prints each message addressed to it (with --all: every message "
                + "on the bus) as canonical Mbus text after a '# IP:PORT' line naming the sender's endpoint; "
                + "with --json, one JSON object per line, as 'decode --json' prints it with \"sender\":\"IP:PORT\" "
                + "first. Reliable messages addressed to it are acknowledged. Bare acknowledgements are not printed.",
            "Runs for --seconds, or until Ctrl-C; leaves the bus with mbus.bye. A line on standard error says "
                + "where it listens."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:stopped after --seconds or by Ctrl-C",
            "143:stopped by kill (SIGTERM), after leaving the bus",
            "1:unexpected error",
            "2:bad arguments or configuration file"
        })
public final class ListenCommand implements Callable<Integer> {

    @Mixin
    private ConfigOptions config;

    @Mixin
    private BusOptions bus;

    @Option(names = "--seconds", paramLabel = "S", description = "Stop after S seconds (default, or 0: run until Ctrl-C).")
    private double seconds;

    @Option(names = "--all", description = "Print every message on the bus, also those addressed to other entities.")
    private boolean all;

    @Option(names = "--json", description = "Print one JSON object per message, one per line.")
    private boolean json;

    @Option(names = "--no-hello", description = "Leave out messages that only carry mbus.hello.")
    private boolean noHello;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        Duration runFor = BusOptions.duration(seconds, "--seconds");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Printer printer = new Printer(out, json, noHello);
        MbusEntity entity = bus.join(config.loadOrCreate(), builder -> builder.receiveAll(all),
                joining -> joining.subscribe("*", printer::print));
        CountDownLatch stop = new CountDownLatch(1);
        // Ctrl-C stops the wait below, and the command ends normally; on kill (SIGTERM), or Ctrl-C
        // where it cannot be caught, the hook at least leaves the bus.
        Thread onTerm = new Thread(() -> {
            stop.countDown();
            entity.close(Duration.ofMillis(200));
            out.flush();
        }, "mbus-listen-stop");
        Runtime.getRuntime().addShutdownHook(onTerm);
        try (CtrlC ctrlC = CtrlC.onCtrlC(stop::countDown)) {
            err.println("mbus listen: listening as " + entity.address() + " on " + entity.describeTransport()
                    + (runFor.isZero() ? "; Ctrl-C to stop" : " for " + BusOptions.seconds(runFor)));
            err.flush();
            if (runFor.isZero()) {
                stop.await();
            } else {
                stop.await(runFor.toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            // Interrupting the thread that runs the command stops it, as Ctrl-C does (an embedding
            // program or a test stops it this way); the flag is not kept, so that closing is clean.
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onTerm);
            } catch (IllegalStateException e) {
                // Shutting down: the hook closes the entity.
            }
            entity.close(Duration.ofMillis(200));
            out.flush();
        }
        return MbusCommand.EXIT_OK;
    }

    /**
     * Prints each message once, when its first command arrives: handlers see one command at a
     * time, each with the whole message it came in. Deciding by the command alone keeps no state,
     * however many senders the bus has. A message whose first command the entity drops for lack of
     * room (it counts them as overloaded) is not printed.
     */
    static final class Printer {
        private final PrintWriter out;
        private final boolean json;
        private final boolean noHello;
        private final MessageJson messageJson = new MessageJson();
        private final MessageCodec text = new MessageCodec();

        Printer(PrintWriter out, boolean json, boolean noHello) {
            this.out = out;
            this.json = json;
            this.noHello = noHello;
        }

        void print(IncomingCommand incoming) {
            Message message = incoming.message();
            // The very object, not an equal one: a message may repeat a command.
            if (incoming.command() != message.commands().get(0)) {
                return;
            }
            if (noHello && message.commands().stream().map(dev.mbus.core.message.Command::name).allMatch("mbus.hello"::equals)) {
                return;
            }
            String sender = BusOptions.format(incoming.sender());
            String line;
            if (json) {
                line = messageJson.toLine(messageJson.putMessage(messageJson.newObject().put("sender", sender), message))
                        + "\n";
            } else {
                String formatted = text.format(message);
                line = "# " + sender + "\n" + (formatted.endsWith("\n") ? formatted : formatted + "\n");
            }
            synchronized (out) {
                out.print(line);
                out.flush();
            }
        }
    }
}
