package dev.mbus.cli;

import dev.mbus.core.config.MbusConfig;
import dev.mbus.core.engine.EntityConfig;
import dev.mbus.core.engine.EntityStats;
import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.engine.MbusEvent;
import dev.mbus.core.message.Address;
import dev.mbus.core.transport.NetworkInterfaces;
import dev.mbus.core.transport.TransportSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The receiving side of {@code mbus bench}, in a JVM of its own: an entity that counts the
 * {@code bench.*} commands it gets, and a plain socket on the raw port that counts datagrams.
 * Talks with the driver in lines (those it prints start with {@value BenchProcess#PREFIX}, so that
 * anything else the JVM prints there, such as its own log, is told apart): it prints
 * {@code ready ADDRESS}, then answers
 * <ul>
 * <li>{@code run} (counters reset) with {@code go};</li>
 * <li>{@code stop N} with {@code count RECEIVED SPAN_NANOS RAW RAW_SPAN_NANOS ENGINE_RECEIVED OVERLOADED DROPPED},
 * once N arrived or nothing more came for a while (a span of 0: not measured);</li>
 * <li>{@code join ADDRESS} with {@code watching}, then {@code joined} when an entity of that
 * address appears in its peer table;</li>
 * <li>{@code quit}, or the end of its input (the driver is gone), by leaving.</li>
 * </ul>
 * Sends only on loopback, with TTL 0.
 */
@Command(name = "bench-receiver", hidden = true,
        header = "The receiving process of 'mbus bench' (started by it).")
public final class BenchReceiverCommand implements Callable<Integer> {

    /** The receiver's address; the driver adds nothing to it. */
    static final Address ADDRESS = Address.parse("(app:mbus-bench role:receiver)");
    /** How long the counts must stay still before a run counts as over. */
    private static final long QUIET_NANOS = Duration.ofMillis(300).toNanos();
    private static final long STOP_LIMIT_NANOS = Duration.ofSeconds(20).toNanos();

    @Mixin
    private ConfigOptions config;

    @Option(names = "--port", required = true, description = "The bus port.")
    private int port;

    @Option(names = "--raw-port", required = true, description = "The port of the raw (no Mbus) runs.")
    private int rawPort;

    @Option(names = "--multicast", description = "Send everything to the group, never to the sender's endpoint.")
    private boolean multicast;

    @Option(names = "--no-handler",
            description = "Subscribe no handler; count the messages the entity accepted (a diagnostic: what handing "
                    + "messages to handlers costs).")
    private boolean noHandler;

    @ParentCommand
    private MbusCommand root;

    @Spec
    private CommandSpec spec;

    /**
     * Counts arrivals and the time from the first to the last; or, when it has a source, what
     * that source counted since the reset (then without times).
     */
    static final class Counter {
        private final AtomicLong count = new AtomicLong();
        private final LongSupplier source;
        private volatile long base;
        private volatile long first;
        private volatile long last;

        Counter() {
            this(null);
        }

        Counter(LongSupplier source) {
            this.source = source;
        }

        void hit() {
            long now = System.nanoTime();
            if (count.incrementAndGet() == 1) {
                first = now;
            }
            last = now;
        }

        void reset() {
            count.set(0);
            first = 0;
            last = 0;
            base = source == null ? 0 : source.getAsLong();
        }

        long count() {
            return source == null ? count.get() : source.getAsLong() - base;
        }

        long spanNanos() {
            return source != null || count.get() < 2 ? 0 : Math.max(0, last - first);
        }
    }

    @Override
    public Integer call() throws IOException {
        MbusConfig file = config.readExisting();
        TransportSettings settings = TransportSettings.defaults().withPort(port).withUnicast(!multicast);
        PrintWriter out = spec.commandLine().getOut();
        Counter raw = new Counter();
        AtomicReference<Address> watched = new AtomicReference<>();
        try (MbusEntity entity = MbusEntity.create(EntityConfig.builder().address(ADDRESS).keys(file.keys())
                .transportSettings(settings).build());
             DatagramChannel rawChannel = openRaw(settings.withPort(rawPort))) {
            Counter mbus = noHandler ? new Counter(() -> entity.stats().received()) : new Counter();
            if (!noHandler) {
                entity.subscribe("bench.*", in -> mbus.hit());
            }
            entity.onEvent(event -> {
                if (event instanceof MbusEvent.PeerJoined joined && joined.peer().address().equals(watched.get())) {
                    reply(out, "joined");
                }
            });
            entity.start(); // only now, with the handlers in place, does anyone hear of it
            Thread rawReader = new Thread(() -> countRaw(rawChannel, raw), "bench-raw-receiver");
            rawReader.setDaemon(true);
            rawReader.start();
            reply(out, "ready " + entity.address());
            BufferedReader in = new BufferedReader(new InputStreamReader(root.stdin(), StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                String[] words = line.strip().split(" ");
                switch (words[0]) {
                    case "run" -> {
                        mbus.reset();
                        raw.reset();
                        reply(out, "go");
                    }
                    case "stop" -> {
                        awaitQuiet(mbus, raw, Long.parseLong(words[1]));
                        EntityStats stats = entity.stats();
                        reply(out, "count " + mbus.count() + " " + mbus.spanNanos() + " " + raw.count() + " "
                                + raw.spanNanos() + " " + stats.received() + " " + stats.overloaded() + " "
                                + stats.droppedTotal() + " " + stats.late() + " " + stats.duplicates());
                    }
                    case "join" -> {
                        Address address = Address.parse(line.strip().substring("join".length()));
                        watched.set(address);
                        reply(out, "watching");
                        if (entity.peers().stream().anyMatch(peer -> peer.address().equals(address))) {
                            reply(out, "joined");
                        }
                    }
                    case "quit" -> {
                        return MbusCommand.EXIT_OK;
                    }
                    default -> reply(out, "error unknown request " + words[0]);
                }
            }
        }
        return MbusCommand.EXIT_OK;
    }

    private static void reply(PrintWriter out, String line) {
        synchronized (out) {
            out.print(BenchProcess.PREFIX + line + "\n");
            out.flush();
        }
    }

    /** Waits until {@code expected} arrived on either counter, or nothing came for a while. */
    private static void awaitQuiet(Counter mbus, Counter raw, long expected) {
        long start = System.nanoTime();
        long seen = -1;
        long stillSince = start;
        while (System.nanoTime() - start < STOP_LIMIT_NANOS) {
            long now = mbus.count() + raw.count();
            if (mbus.count() >= expected || raw.count() >= expected) {
                return;
            }
            if (now != seen) {
                seen = now;
                stillSince = System.nanoTime();
            } else if (System.nanoTime() - stillSince > QUIET_NANOS) {
                return;
            }
            BusOptions.sleep(Duration.ofMillis(5));
        }
    }

    /**
     * A plain socket on the port of {@code settings}, joined to its group on the loopback interface:
     * bound to the wildcard address, it gets what is sent to the group and to the loopback address.
     */
    static DatagramChannel openRaw(TransportSettings settings) throws IOException {
        NetworkInterfaces.Resolved loopback = NetworkInterfaces.resolve(settings.networkInterface(), false);
        InetAddress group = settings.groupAddress();
        DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.setOption(StandardSocketOptions.SO_RCVBUF, settings.receiveBufferBytes());
            channel.bind(new InetSocketAddress(settings.port()));
            channel.join(group, loopback.networkInterface());
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static void countRaw(DatagramChannel channel, Counter raw) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(65_536);
        try {
            while (true) {
                buffer.clear();
                channel.receive(buffer);
                raw.hit();
            }
        } catch (ClosedChannelException e) {
            // The run is over.
        } catch (IOException e) {
            System.err.println("bench-receiver: raw socket failed: " + e);
        }
    }
}
