package dev.mbus.cli;

import dev.mbus.core.codec.DatagramCodec;
import dev.mbus.core.config.MbusConfig;
import dev.mbus.core.config.MbusConfigFile;
import dev.mbus.core.message.Address;
import dev.mbus.core.security.CipherAlgorithm;
import dev.mbus.core.security.HashAlgorithm;
import dev.mbus.core.security.MbusKeys;
import dev.mbus.core.transport.Scope;
import dev.mbus.core.transport.TransportSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
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
            description = "Messages sent before the measured ones, by the same entity, at --rate, and not counted, "
                    + "so that both JVMs have compiled the code they run (at most --messages; 0: none; default: "
                    + "${DEFAULT-VALUE}). At --rate 10000, the JIT is still at work after 20 s: for latency, "
                    + "give --messages and --warmup 200000 or more.")
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

    @Override
    public Integer call() throws Exception {
        List<String> chosen = checkArguments();
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        MbusKeys keys;
        try {
            keys = MbusKeys.generate(HashAlgorithm.fromConfigName(hash), CipherAlgorithm.fromConfigName(cipher),
                    new SecureRandom());
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        int port = freePort(-1);
        int rawPort = freePort(port);
        TransportSettings settings = TransportSettings.defaults().withPort(port).withScope(Scope.HOSTLOCAL)
                .withUnicast(!multicast);
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
            try (BenchProcess child = BenchProcess.start(receiverJavaOptions, childArgs, err)) {
                Address receiver = Address.parse(child.expect("ready ", BenchSession.ANSWER).text()
                        .substring("ready ".length()));
                BenchSession session = new BenchSession(new BenchSession.Options(size, rate, window,
                        !(noBatching || noHandler), multicast, warmup, joins, verbose), keys, settings, rawPort, child,
                        receiver, err);
                for (String mode : chosen) {
                    out.print(session.report.line(run(session, mode, messagesFor(mode)), json) + "\n");
                    out.flush();
                }
            }
        } finally {
            deleteAll(folder);
        }
        return MbusCommand.EXIT_OK;
    }

    private static ObjectNode run(BenchSession session, String mode, int n) throws Exception {
        return switch (mode) {
            case "raw" -> new RawBench(session).run(n);
            case "unreliable" -> new UnreliableBench(session).run(n);
            case "reliable" -> new ReliableBench(session).run(n);
            case "join" -> new JoinBench(session).run();
            default -> throw new IllegalStateException("mode " + mode);
        };
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
