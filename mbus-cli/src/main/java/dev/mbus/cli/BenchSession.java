package dev.mbus.cli;

import dev.mbus.core.codec.DatagramCodec;
import dev.mbus.core.engine.Batching;
import dev.mbus.core.engine.EntityConfig;
import dev.mbus.core.engine.EntityStats;
import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.IntegerValue;
import dev.mbus.core.message.Message;
import dev.mbus.core.message.StringValue;
import dev.mbus.core.security.MbusKeys;
import dev.mbus.core.transport.TransportSettings;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What every mode of {@code mbus bench} shares once the receiver runs: the bus and its keys, the
 * receiver process and address, the options that shape a run, and the steps the modes have in
 * common (a sender entity, datagrams of the chosen size, asking the receiver what it counted).
 */
final class BenchSession {

    /** The options that shape the runs. */
    record Options(int size, double rate, int window, boolean batching, boolean multicast, int warmup, int joins,
                   boolean verbose) {
    }

    /** What the receiver counted in one run. */
    record Counts(long mbus, long mbusSpanNanos, long raw, long rawSpanNanos) {
    }

    static final Duration ANSWER = Duration.ofSeconds(30);
    /** The JIT compiles what a warm-up made hot in the background: let it finish rather than compete. */
    static final Duration SETTLE = Duration.ofMillis(500);
    private static final String COMMAND = "bench.data";

    final Options options;
    final MbusKeys keys;
    final TransportSettings settings;
    final int rawPort;
    final BenchProcess child;
    final Address receiver;
    final BenchReport report;
    private final PrintWriter err;
    private final String runId = ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime() & 0xffffff);

    BenchSession(Options options, MbusKeys keys, TransportSettings settings, int rawPort, BenchProcess child,
                 Address receiver, PrintWriter err) {
        this.options = options;
        this.keys = keys;
        this.settings = settings;
        this.rawPort = rawPort;
        this.child = child;
        this.receiver = receiver;
        this.err = err;
        this.report = new BenchReport(keys.cipher().name(), options.rate());
    }

    MbusEntity startSender(Address address) {
        return MbusEntity.start(EntityConfig.builder().address(address).keys(keys).transportSettings(settings)
                .reliableWindow(options.window()).batching(options.batching() ? Batching.DEFAULT : Batching.OFF)
                .build());
    }

    void awaitReceiver(MbusEntity sender) throws Exception {
        sender.awaitPeer(receiver, ANSWER).get(ANSWER.plusSeconds(1).toNanos(), TimeUnit.NANOSECONDS);
    }

    /** An address of this run's; {@code id} of the same length in every measured mode, so that datagram sizes match. */
    Address address(String role, String id) {
        return Address.parse("(app:mbus-bench role:" + role + " id:" + runId + "-" + id + "@bench)");
    }

    /** Resets the receiver's counters: what comes next is counted. */
    void go() throws InterruptedException {
        child.request("run", "go", ANSWER);
    }

    /** Once {@code expected} arrived or nothing more comes: what the receiver counted since {@link #go()}. */
    Counts stop(long expected) throws InterruptedException {
        String[] words = child.request("stop " + expected, "count ", ANSWER).text().split(" ");
        verbose("receiver: handled " + words[1] + ", raw " + words[3] + ", entity received " + words[5]
                + ", overloaded " + words[6] + ", dropped " + words[7] + ", late " + words[8] + ", duplicates "
                + words[9]);
        return new Counts(Long.parseLong(words[1]), Long.parseLong(words[2]), Long.parseLong(words[3]),
                Long.parseLong(words[4]));
    }

    void report(String who, EntityStats stats) {
        verbose(who + ": " + stats);
    }

    /** With --verbose, a line on standard error. */
    void verbose(String line) {
        if (options.verbose()) {
            err.println("mbus bench: " + line);
            err.flush();
        }
    }

    static Command command(long number, StringValue pad) {
        return new Command(COMMAND, List.of(new IntegerValue(number), pad));
    }

    /** The padding that makes the last (longest-numbered) datagram {@code --size} bytes, or just under. */
    String padding(Address source, boolean reliableMessage, int n) {
        int empty = datagramSize(source, reliableMessage, n, "");
        if (empty > options.size()) {
            throw new CliException("--size " + options.size() + " is too small: a benchmark datagram takes at least "
                    + empty + " bytes with this cipher");
        }
        int length = options.size() - empty;
        while (length > 0 && datagramSize(source, reliableMessage, n, "x".repeat(length)) > options.size()) {
            length--;
        }
        return "x".repeat(length);
    }

    int datagramSize(Address source, boolean reliableMessage, long number, String pad) {
        return new DatagramCodec(keys).encode(message(number, System.currentTimeMillis(), reliableMessage, source, pad))
                .length;
    }

    /** The datagram message {@code number} of a run would be, to the receiver. */
    Message message(long number, long timestamp, boolean reliableMessage, Address source, String pad) {
        return new Message(number, timestamp, reliableMessage, source, receiver, List.of(),
                List.of(command(number, new StringValue(pad))));
    }
}
