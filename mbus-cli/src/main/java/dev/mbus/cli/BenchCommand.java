package dev.mbus.cli;

import dev.mbus.core.codec.DatagramCodec;
import dev.mbus.core.config.MbusConfig;
import dev.mbus.core.config.MbusConfigFile;
import dev.mbus.core.engine.Batching;
import dev.mbus.core.engine.EntityConfig;
import dev.mbus.core.engine.EntityStats;
import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.engine.ProtocolTimers;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.IntegerValue;
import dev.mbus.core.message.Message;
import dev.mbus.core.message.StringValue;
import dev.mbus.core.security.CipherAlgorithm;
import dev.mbus.core.security.HashAlgorithm;
import dev.mbus.core.security.MbusKeys;
import dev.mbus.core.transport.NetworkInterfaces;
import dev.mbus.core.transport.Scope;
import dev.mbus.core.transport.TransportSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

/** {@code mbus bench}: end-to-end throughput, loss, acknowledgement latency and join time. */
@Command(name = "bench",
        header = "Measure the bus end to end between two processes.",
        description = {
            "Starts a receiving entity in a second JVM (same Java, same class path) on a free port of the "
                + "loopback bus (TTL 0), with a fresh key of the chosen cipher in a private temporary configuration "
                + "file (your own configuration file is never read), and measures, for each --mode:",
            "  raw         datagrams of the same size, one per message, sent with a plain DatagramChannel the way the "
                + "engine sends (to the receiver's socket, or to the group with --multicast) and counted by a plain "
                + "socket: the ceiling of this machine for one datagram per message, measured in the same run;",
            "  unreliable  MbusEntity.send of one bench.data command per call, counted by a handler; calls in a burst "
                + "share datagrams unless --no-batching;",
            "  reliable    MbusEntity.sendReliable, with each call's acknowledgement latency (from the call to "
                + "the acknowledgement; at full speed this includes waiting for room in the reliable window, "
                + "so latency figures mean most with --rate);",
            "  join        how soon a new entity is in the receiver's peer table (join_ms, from the call of "
                + "MbusEntity.start to the receiver reporting it on its standard output, so an upper bound) and the "
                + "receiver in the new entity's (discover_ms); one new entity every 150 ms (entities greet newcomers "
                + "at most ten times a second), medians and maxima of --joins.",
            "Prints one line per mode; with --json one object: mode, cipher, size (bytes per datagram, digest and "
                + "padding included), messages, rate, seconds (first send to last send, or to last acknowledgement "
                + "for reliable), sent_per_s, received_per_s (receiver's count over its first-to-last time, else over the sender's), loss "
                + "(1 - received/sent), for unreliable and reliable commands_per_datagram (how many calls shared a "
                + "datagram on average), and for reliable acked_per_s, failed, ack_p50_ms, ack_p99_ms, ack_p999_ms."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:measured",
            "1:unexpected error (such as the receiver process failing)",
            "2:bad arguments"
        })
public final class BenchCommand implements Callable<Integer> {

    static final List<String> MODES = List.of("raw", "unreliable", "reliable", "join");
    private static final int DEFAULT_MESSAGES = 200_000;
    private static final int DEFAULT_RELIABLE_MESSAGES = 100_000;
    private static final int RAW_RING = 4096;
    private static final Duration ANSWER = Duration.ofSeconds(30);
    private static final Duration JOIN_LIMIT = Duration.ofSeconds(5);
    private static final Duration SETTLE = Duration.ofMillis(500);
    private static final String COMMAND = "bench.data";
    private static final Duration JOIN_SPACING = ProtocolTimers.RFC.helloMin().dividedBy(10).plusMillis(50);

    @Option(names = "--mode", split = ",", paramLabel = "MODE", defaultValue = "raw,unreliable,reliable",
            description = "Comma-separated: raw, unreliable, reliable, join (default: ${DEFAULT-VALUE}).")
    private List<String> modes;

    @Option(names = "--messages", paramLabel = "N",
            description = "Messages per mode (default: " + DEFAULT_MESSAGES + ", reliable " + DEFAULT_RELIABLE_MESSAGES
                    + "; with --rate, at most 5 seconds' worth).")
    private Integer messages;

    @Option(names = "--size", paramLabel = "BYTES", defaultValue = "200",
            description = "Bytes per datagram, digest and padding included (default: ${DEFAULT-VALUE}).")
    private int size;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "0",
            description = "Messages per second to offer, on a fixed schedule; 0: as fast as possible (default).")
    private double rate;

    @Option(names = "--cipher", paramLabel = "CIPHER", defaultValue = "NOENCR",
            description = "NOENCR (hash only), DES or AES (default: ${DEFAULT-VALUE}).")
    private String cipher;

    @Option(names = "--hash", paramLabel = "ALGORITHM", defaultValue = "HMAC-MD5-96",
            description = "HMAC-MD5-96 or HMAC-SHA1-96 (default: ${DEFAULT-VALUE}).")
    private String hash;

    @Option(names = "--window", paramLabel = "N", defaultValue = "1024",
            description = "Reliable messages in flight at most (the engine's reliable window; default: ${DEFAULT-VALUE}).")
    private int window;

    @Option(names = "--joins", paramLabel = "N", defaultValue = "20",
            description = "New entities started in the join mode (default: ${DEFAULT-VALUE}).")
    private int joins;

    @Option(names = "--multicast",
            description = "Send everything to the group: the engine's unicast setting off, and raw sends to the group "
                    + "too. By default both entities send to the other's endpoint, the only entity each knows, and so "
                    + "does raw.")
    private boolean multicast;

    @Option(names = "--no-batching",
            description = "Every send is a message of its own (the engine's Batching.OFF). By default sends in a "
                    + "burst share messages of at most 1500 bytes.")
    private boolean noBatching;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "20000",
            description = "Messages sent before the measured ones, by the same entity, and not counted, so that both "
                    + "JVMs have compiled the code they run (at most --messages; 0: none; default: ${DEFAULT-VALUE}).")
    private int warmup;

    @Option(names = "--no-handler",
            description = "Diagnostic: the receiver subscribes no handler and counts the messages its entity accepted, "
                    + "so that the cost of handing messages to handlers shows; implies --no-batching.")
    private boolean noHandler;

    @Option(names = "--receiver-java-options", paramLabel = "OPTIONS",
            description = "Options of the receiver's JVM, such as a flight recording (default: $MBUS_JAVA_OPTS).")
    private String receiverJavaOptions;

    @Option(names = "--json", description = "Print one JSON object per mode, one per line.")
    private boolean json;

    @Option(names = "--verbose", description = "Also print the counters of both entities on standard error.")
    private boolean verbose;

    @Spec
    private CommandSpec spec;

    private final MessageJson messageJson = new MessageJson();
    private final String runId = ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
    private PrintWriter err;
    private MbusKeys keys;
    private TransportSettings settings;
    private int rawPort;
    private Address receiver;
    private BenchProcess child;

    @Override
    public Integer call() throws Exception {
        List<String> chosen = checkArguments();
        err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        try {
            keys = MbusKeys.generate(HashAlgorithm.fromConfigName(hash), CipherAlgorithm.fromConfigName(cipher),
                    new SecureRandom());
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        int port = freePort(-1);
        rawPort = freePort(port);
        settings = TransportSettings.defaults().withPort(port).withScope(Scope.HOSTLOCAL).withUnicast(!multicast);
        Path folder = Files.createTempDirectory("mbus-bench-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            Path configFile = folder.resolve("bench.mbus");
            MbusConfigFile.write(configFile, new MbusConfig(keys, Scope.HOSTLOCAL, MbusConfig.DEFAULT_GROUP, port,
                    Map.of()), false);
            List<String> childArgs = new ArrayList<>(List.of("--config", configFile.toString(),
                    "--port", String.valueOf(port), "--raw-port", String.valueOf(rawPort)));
            if (multicast) {
                childArgs.add("--multicast");
            }
            if (noHandler) {
                childArgs.add("--no-handler");
            }
            child = BenchProcess.start(receiverJavaOptions, childArgs, err);
            try {
                receiver = Address.parse(child.expect("ready ", ANSWER).text().substring("ready ".length()));
                for (String mode : chosen) {
                    ObjectNode result = run(mode, messagesFor(mode));
                    out.print((json ? messageJson.toLine(result) : text(result)) + "\n");
                    out.flush();
                }
            } finally {
                child.close();
            }
        } finally {
            deleteAll(folder);
        }
        return MbusCommand.EXIT_OK;
    }

    /**
     * Runs a mode: first --warmup messages, not counted, so that both JVMs have compiled the code
     * they run; then the measured ones. An entity mode uses one sender entity for both, so that
     * nothing new (such as an entity closing) happens between them and sends compiled code back
     * to the interpreter.
     */
    private ObjectNode run(String mode, int n) throws Exception {
        int warm = Math.min(warmup, n);
        if (mode.equals("join")) {
            return join();
        }
        if (mode.equals("raw")) {
            if (warm > 0) {
                raw(warm, "w1");
            }
            return raw(n, "1");
        }
        boolean reliable = mode.equals("reliable");
        Address source = senderAddress(reliable ? "3" : "2");
        // Padded for the longest numbers of the run, so that no datagram is larger than --size.
        String pad = padding(source, reliable, warm + n);
        try (MbusEntity sender = startSender(source)) {
            awaitReceiver(sender);
            if (warm > 0) {
                measure(reliable, sender, warm, pad);
                // The JIT compiles what the warm-up made hot in the background: let it finish rather than
                // compete with the measured phase for the CPUs.
                BusOptions.sleep(SETTLE);
            }
            return measure(reliable, sender, n, pad);
        }
    }

    private ObjectNode measure(boolean reliable, MbusEntity sender, int n, String pad) throws Exception {
        return reliable ? reliable(sender, n, pad) : unreliable(sender, n, pad);
    }

    private List<String> checkArguments() {
        List<String> chosen = new ArrayList<>();
        for (String mode : modes) {
            String name = mode.strip().toLowerCase(Locale.ROOT);
            if (!MODES.contains(name)) {
                throw new CliException("unknown mode '" + mode + "'; expected " + String.join(", ", MODES));
            }
            chosen.add(name);
        }
        if (messages != null && messages < 1) {
            throw new CliException("--messages must be at least 1: " + messages);
        }
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new CliException("--rate must be 0 or more messages per second: " + rate);
        }
        if (size < 1 || size > DatagramCodec.MAX_DATAGRAM_BYTES) {
            throw new CliException("--size must be 1.." + DatagramCodec.MAX_DATAGRAM_BYTES + ": " + size);
        }
        if (window < 1) {
            throw new CliException("--window must be at least 1: " + window);
        }
        if (warmup < 0) {
            throw new CliException("--warmup must be 0 or more: " + warmup);
        }
        if (joins < 1) {
            throw new CliException("--joins must be at least 1: " + joins);
        }
        return chosen;
    }

    private int messagesFor(String mode) {
        if (messages != null) {
            return messages;
        }
        int count = mode.equals("reliable") ? DEFAULT_RELIABLE_MESSAGES : DEFAULT_MESSAGES;
        return rate > 0 ? (int) Math.max(1, Math.min(count, rate * 5)) : count;
    }

    // ---------------------------------------------------------------- the modes

    private ObjectNode raw(int n, String id) throws Exception {
        Address source = senderAddress(id);
        String pad = padding(source, false, n);
        DatagramCodec codec = new DatagramCodec(keys);
        ByteBuffer[] ring = new ByteBuffer[Math.min(n, RAW_RING)];
        long timestamp = System.currentTimeMillis();
        for (int i = 0; i < ring.length; i++) {
            long number = n - ring.length + i + 1; // the longest numbers: datagrams as long as the last Mbus ones
            ring[i] = ByteBuffer.wrap(codec.encode(new Message(number, timestamp, false, source, receiver, List.of(),
                    List.of(command(number, pad)))));
        }
        int datagramSize = datagramSize(source, false, n, pad);
        NetworkInterfaces.Resolved loopback = NetworkInterfaces.resolve(settings.networkInterface(), false);
        // The way the engine sends them: to the receiver's socket, or to the group.
        InetSocketAddress target = new InetSocketAddress(multicast ? settings.groupAddress() : loopback.address(), rawPort);
        try (DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET)) {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 1024 * 1024);
            channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, loopback.networkInterface());
            channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, settings.scope().ttl());
            channel.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            channel.bind(new InetSocketAddress(loopback.address(), 0));
            child.request("run", "go", ANSWER);
            Pacer pacer = new Pacer(rate);
            long start = System.nanoTime();
            pacer.start(start);
            for (int i = 0; i < n; i++) {
                pacer.await(i);
                ByteBuffer datagram = ring[i % ring.length];
                datagram.rewind();
                channel.send(datagram, target);
            }
            long end = System.nanoTime();
            Counts counts = stop(n);
            return result("raw", datagramSize, n, end - start, counts.raw, counts.rawSpanNanos);
        }
    }

    private ObjectNode unreliable(MbusEntity sender, int n, String pad) throws Exception {
        int datagramSize = datagramSize(sender.address(), false, n, pad);
        StringValue padding = new StringValue(pad);
        child.request("run", "go", ANSWER);
        Pacer pacer = new Pacer(rate);
        long start = System.nanoTime();
        pacer.start(start);
        for (int i = 0; i < n; i++) {
            pacer.await(i);
            sender.send(receiver, command(i + 1, padding));
        }
        long end = System.nanoTime();
        Counts counts = stop(n);
        report("sender", sender.stats());
        ObjectNode result = result("unreliable", datagramSize, n, end - start, counts.mbus, counts.mbusSpanNanos);
        putCommandsPerDatagram(result, sender.stats());
        return result;
    }

    private ObjectNode reliable(MbusEntity sender, int n, String pad) throws Exception {
        int datagramSize = datagramSize(sender.address(), true, n, pad);
        StringValue padding = new StringValue(pad);
        long[] sentAt = new long[n];
        long[] ackedAt = new long[n];
        boolean[] failed = new boolean[n];
        AtomicInteger done = new AtomicInteger();
        child.request("run", "go", ANSWER);
        Pacer pacer = new Pacer(rate);
        long start = System.nanoTime();
        pacer.start(start);
        for (int i = 0; i < n; i++) {
            pacer.await(i);
            int index = i;
            sentAt[i] = System.nanoTime();
            CompletableFuture<Void> outcome = sender.sendReliable(receiver, command(i + 1, padding));
            outcome.whenComplete((ok, error) -> {
                ackedAt[index] = System.nanoTime();
                failed[index] = error != null;
                done.incrementAndGet(); // publishes the two writes above
            });
        }
        long end = System.nanoTime();
        long limit = end + ProtocolTimers.RFC.reliableLifetime().plusSeconds(10).toNanos();
        while (done.get() < n && System.nanoTime() - limit < 0) {
            BusOptions.sleep(Duration.ofMillis(1));
        }
        int completed = done.get();
        Counts counts = stop(n);
        report("sender", sender.stats());
        long[] latencies = new long[n];
        int acked = 0;
        int failures = 0;
        long lastAck = end;
        for (int i = 0; i < n; i++) {
            if (ackedAt[i] == 0) {
                continue; // not completed in time (counted as failed below)
            }
            if (failed[i]) {
                failures++;
            } else {
                latencies[acked++] = ackedAt[i] - sentAt[i];
                lastAck = Math.max(lastAck, ackedAt[i]);
            }
        }
        failures += n - completed;
        ObjectNode result = result("reliable", datagramSize, n, end - start, counts.mbus, counts.mbusSpanNanos);
        result.put("seconds", round((lastAck - start) / 1e9, 3));
        putCommandsPerDatagram(result, sender.stats());
        long[] sorted = Arrays.copyOf(latencies, acked);
        Arrays.sort(sorted);
        reportHistogram(sorted);
        result.put("acked_per_s", Math.round(acked / Math.max(1e-9, (lastAck - start) / 1e9)));
        result.put("failed", failures);
        result.put("ack_p50_ms", percentileMillis(sorted, 0.50));
        result.put("ack_p99_ms", percentileMillis(sorted, 0.99));
        result.put("ack_p999_ms", percentileMillis(sorted, 0.999));
        return result;
    }

    private ObjectNode join() throws Exception {
        long[] joinNanos = new long[joins];
        long[] discoverNanos = new long[joins];
        long[] startNanos = new long[joins];
        for (int round = -1; round < joins; round++) { // round -1 warms up and is not counted
            Address address = Address.parse("(app:mbus-bench role:joiner id:" + runId + "-j" + (round + 1) + "@bench)");
            child.request("join " + address, "watching", ANSWER);
            long before = System.nanoTime();
            try (MbusEntity joiner = startSender(address)) {
                long started = System.nanoTime();
                long[] discovered = new long[1];
                CompletableFuture<Void> known = joiner.awaitPeer(receiver, JOIN_LIMIT)
                        .thenRun(() -> discovered[0] = System.nanoTime());
                BenchProcess.Line joined = child.expect("joined", JOIN_LIMIT.plusSeconds(1));
                known.get(JOIN_LIMIT.plusSeconds(1).toNanos(), TimeUnit.NANOSECONDS);
                if (round >= 0) {
                    joinNanos[round] = joined.nanos() - before;
                    discoverNanos[round] = discovered[0] - before;
                    startNanos[round] = started - before;
                }
                joiner.close(Duration.ofMillis(50));
            }
            // Entities greet newcomers at most ten times per c_hello_min: one newcomer at a time.
            BusOptions.sleep(JOIN_SPACING);
        }
        Arrays.sort(joinNanos);
        Arrays.sort(discoverNanos);
        Arrays.sort(startNanos);
        ObjectNode result = messageJson.newObject();
        result.put("mode", "join");
        result.put("cipher", keys.cipher().name());
        result.put("joins", joins);
        result.put("join_ms", percentileMillis(joinNanos, 0.5));
        result.put("join_max_ms", millis(joinNanos[joinNanos.length - 1]));
        result.put("discover_ms", percentileMillis(discoverNanos, 0.5));
        result.put("discover_max_ms", millis(discoverNanos[discoverNanos.length - 1]));
        result.put("start_ms", percentileMillis(startNanos, 0.5));
        return result;
    }

    // ---------------------------------------------------------------- pieces

    /** Paces sends on a fixed schedule: message i goes at start + i / rate, or at once when late. */
    static final class Pacer {
        private final long intervalNanos;
        private long start;

        Pacer(double rate) {
            this.intervalNanos = rate > 0 ? Math.max(1, Math.round(1e9 / rate)) : 0;
        }

        void start(long nanos) {
            start = nanos;
        }

        void await(long index) {
            if (intervalNanos == 0) {
                return;
            }
            long slot = start + index * intervalNanos;
            long left;
            while ((left = slot - System.nanoTime()) > 0) {
                LockSupport.parkNanos(left);
            }
        }
    }

    /** What the receiver counted in one run. */
    private record Counts(long mbus, long mbusSpanNanos, long raw, long rawSpanNanos) {
    }

    private Counts stop(long expected) throws InterruptedException {
        String[] words = child.request("stop " + expected, "count ", ANSWER).text().split(" ");
        if (verbose) {
            err.println("mbus bench: receiver: handled " + words[1] + ", raw " + words[3] + ", entity received "
                    + words[5] + ", overloaded " + words[6] + ", dropped " + words[7]);
            err.flush();
        }
        return new Counts(Long.parseLong(words[1]), Long.parseLong(words[2]), Long.parseLong(words[3]),
                Long.parseLong(words[4]));
    }

    private void report(String who, EntityStats stats) {
        if (verbose) {
            err.println("mbus bench: " + who + ": " + stats);
            err.flush();
        }
    }

    /** With --verbose: how many acknowledgements took how long, in buckets of milliseconds. */
    private void reportHistogram(long[] sorted) {
        if (!verbose) {
            return;
        }
        double[] limits = {0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500};
        StringBuilder line = new StringBuilder("mbus bench: ack latency ms:");
        int from = 0;
        for (int b = 0; b <= limits.length; b++) {
            int to = from;
            while (to < sorted.length && (b == limits.length || sorted[to] < limits[b] * 1e6)) {
                to++;
            }
            if (to > from) {
                line.append(b == limits.length ? " >=" + limits[b - 1] : " <" + limits[b]).append(':').append(to - from);
            }
            from = to;
        }
        err.println(line);
        err.flush();
    }

    private ObjectNode result(String mode, int datagramSize, int sent, long sendNanos, long received, long receiveSpanNanos) {
        ObjectNode result = messageJson.newObject();
        result.put("mode", mode);
        result.put("cipher", keys.cipher().name());
        result.put("size", datagramSize);
        result.put("messages", sent);
        if (rate == Math.rint(rate)) {
            result.put("rate", (long) rate);
        } else {
            result.put("rate", rate);
        }
        result.put("seconds", round(sendNanos / 1e9, 3));
        result.put("sent_per_s", Math.round(sent / Math.max(1e-9, sendNanos / 1e9)));
        // The receiver's own first-to-last time when it has one; else (too few, or not measured) the sender's.
        result.put("received_per_s", receiveSpanNanos > 0 ? Math.round((received - 1) / (receiveSpanNanos / 1e9))
                : Math.round(received / Math.max(1e-9, sendNanos / 1e9)));
        result.put("loss", round(Math.max(0, 1 - (double) received / sent), 6));
        return result;
    }

    /** How many sends shared a datagram on average (hellos included, a handful). */
    private static void putCommandsPerDatagram(ObjectNode result, EntityStats sender) {
        result.put("commands_per_datagram", round((double) sender.commandsSent() / Math.max(1, sender.sent()), 2));
    }

    private MbusEntity startSender(Address address) {
        return MbusEntity.start(EntityConfig.builder().address(address).keys(keys).transportSettings(settings)
                .reliableWindow(window).batching(noBatching || noHandler ? Batching.OFF : Batching.DEFAULT).build());
    }

    private void awaitReceiver(MbusEntity sender) throws Exception {
        sender.awaitPeer(receiver, ANSWER).get(ANSWER.plusSeconds(1).toNanos(), TimeUnit.NANOSECONDS);
    }

    /** A sender address whose id has the same length in every measured mode, so that datagram sizes match. */
    private Address senderAddress(String mode) {
        return Address.parse("(app:mbus-bench role:sender id:" + runId + "-" + mode + "@bench)");
    }

    private static dev.mbus.core.message.Command command(long number, String pad) {
        return command(number, new StringValue(pad));
    }

    private static dev.mbus.core.message.Command command(long number, StringValue pad) {
        return new dev.mbus.core.message.Command(COMMAND, List.of(new IntegerValue(number), pad));
    }

    /** The padding that makes the last (longest-numbered) datagram {@code --size} bytes, or just under. */
    private String padding(Address source, boolean reliableMessage, int n) {
        int empty = datagramSize(source, reliableMessage, n, "");
        if (empty > size) {
            throw new CliException("--size " + size + " is too small: a benchmark datagram takes at least "
                    + empty + " bytes with this cipher");
        }
        int length = size - empty;
        while (length > 0 && datagramSize(source, reliableMessage, n, "x".repeat(length)) > size) {
            length--;
        }
        return "x".repeat(length);
    }

    private int datagramSize(Address source, boolean reliableMessage, long number, String pad) {
        Message message = new Message(number, System.currentTimeMillis(), reliableMessage, source, receiver, List.of(),
                List.of(command(number, pad)));
        return new DatagramCodec(keys).encode(message).length;
    }

    private static double percentileMillis(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
        return millis(sorted[index]);
    }

    private static double millis(long nanos) {
        return round(Math.max(0, nanos) / 1e6, 3);
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    /** One human-readable line of a result. */
    private static String text(ObjectNode result) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-10s", result.get("mode").asString()));
        for (Map.Entry<String, tools.jackson.databind.JsonNode> field : result.properties()) {
            if (!field.getKey().equals("mode")) {
                line.append("  ").append(field.getKey()).append(' ').append(field.getValue().asString());
            }
        }
        return line.toString();
    }

    /** A UDP port free right now, other than the protocol's 47000 and {@code other}. */
    private static int freePort(int other) {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (DatagramChannel probe = DatagramChannel.open(StandardProtocolFamily.INET)) {
                probe.bind(new InetSocketAddress(0));
                int port = ((InetSocketAddress) probe.getLocalAddress()).getPort();
                if (port != TransportSettings.DEFAULT_PORT && port != other) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free UDP port");
    }

    private static void deleteAll(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
