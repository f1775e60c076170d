package dev.mbus.cli;

import dev.mbus.core.engine.IncomingCommand;
import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.message.Address;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mbus ping}: which entities an address matches, and how quickly they answer. */
@Command(name = "ping",
        header = "Ping the entities an address matches and show who answers.",
        description = {
            "Joins the bus, waits briefly for a first greeting from the others (at most 0.3 s), sends mbus.ping () "
                + "to DEST (unreliably, once) and collects the mbus.hello replies "
                + "addressed to this entity for --seconds. Prints one line per entity that answered, in the order "
                + "of the answers: address, endpoint and round-trip time (from the send to the moment the reply "
                + "reaches a handler)."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:at least one entity answered",
            "1:unexpected error",
            "2:bad arguments or configuration file",
            "3:nobody answered"
        })
public final class PingCommand implements Callable<Integer> {

    @Mixin
    private ConfigOptions config;

    @Mixin
    private BusOptions bus;

    @Parameters(index = "0", paramLabel = "DEST", description = "Whom to ping, e.g. \"(app:player)\"; () pings everyone.")
    private String destination;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "2",
            description = "How long to wait for answers (default: ${DEFAULT-VALUE}).")
    private double seconds;

    @Spec
    private CommandSpec spec;

    /** Longest wait for a first greeting before the ping goes out. */
    private static final Duration WARM_UP = Duration.ofMillis(300);

    private record Answer(Address address, String endpoint, long nanos) {
    }

    @Override
    public Integer call() throws InterruptedException {
        Duration wait = BusOptions.duration(seconds, "--seconds");
        Address dest = SendCommand.parseDestination(destination);
        Map<Address, Answer> answers = new LinkedHashMap<>();
        long[] sentAt = new long[1];
        CountDownLatch greeted = new CountDownLatch(1);
        try (MbusEntity entity = bus.join(config.loadOrCreate(), builder -> builder, joining -> {
            Address self = joining.address();
            joining.subscribe("mbus.hello", (IncomingCommand hello) -> {
                long now = System.nanoTime();
                greeted.countDown();
                Address to = hello.message().destination();
                // Replies to a ping are sent to the pinger; greetings and periodic hellos to ().
                if (!to.isBroadcast() && to.matches(self)) {
                    synchronized (answers) {
                        answers.putIfAbsent(hello.source(),
                                new Answer(hello.source(), BusOptions.format(hello.sender()), now - sentAt[0]));
                    }
                }
            });
        })) {
            // Entities greet a newcomer at once; handling a greeting first loads and links the code
            // of the reply path, which would otherwise add milliseconds to the first round trip.
            greeted.await(WARM_UP.toNanos(), TimeUnit.NANOSECONDS);
            synchronized (answers) {
                sentAt[0] = System.nanoTime();
            }
            entity.send(dest, dev.mbus.core.message.Command.of("mbus.ping"));
            BusOptions.sleep(wait);
        }
        List<Answer> heard;
        synchronized (answers) {
            heard = new ArrayList<>(answers.values());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (heard.isEmpty()) {
            out.flush();
            PrintWriter err = spec.commandLine().getErr();
            err.println("mbus ping: no answer from " + dest + " within " + BusOptions.seconds(wait));
            err.flush();
            return BusOptions.EXIT_NOT_DELIVERED;
        }
        for (Answer answer : heard) {
            out.print(answer.address + "  " + answer.endpoint + "  "
                    + String.format(Locale.ROOT, "%.3f ms", answer.nanos / 1e6) + "\n");
        }
        out.flush();
        return MbusCommand.EXIT_OK;
    }
}
