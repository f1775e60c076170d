package dev.mbus.cli;

import dev.mbus.core.codec.DatagramCodec;
import dev.mbus.core.config.MbusConfig;
import dev.mbus.core.config.MbusConfigFile;
import dev.mbus.core.engine.EntityConfig;
import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.Message;
import dev.mbus.core.security.CipherAlgorithm;
import dev.mbus.core.security.HashAlgorithm;
import dev.mbus.core.security.MbusKeys;
import dev.mbus.core.transport.LoopbackSupport;
import dev.mbus.core.transport.NetworkInterfaces;
import dev.mbus.core.transport.Scope;
import dev.mbus.core.transport.TransportSettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import picocli.CommandLine;

/**
 * A private loopback bus for one test: a free port, a configuration file with fresh keys in a
 * temporary folder, the options every bus command needs, entities started by the test, and
 * commands run in the background. Everything sends on loopback with TTL 0 only.
 */
final class TestBus implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(20);

    final int port = LoopbackSupport.freePort();
    final MbusKeys keys = MbusKeys.generate(HashAlgorithm.HMAC_MD5_96, CipherAlgorithm.DES, new SecureRandom());
    final Path config;
    private final List<AutoCloseable> resources = new ArrayList<>();

    TestBus(Path folder) {
        config = folder.resolve("bus.mbus");
        MbusConfigFile.write(config, new MbusConfig(keys, Scope.HOSTLOCAL, MbusConfig.DEFAULT_GROUP, port, Map.of()),
                false);
    }

    /** {@code command}, the bus options, then {@code args}. */
    String[] args(String command, String... args) {
        List<String> all = new ArrayList<>(List.of(command, "--config", config.toString(), "--port", String.valueOf(port),
                "--interface", "lo", "--scope", "HOSTLOCAL"));
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    Cli.Result run(String command, String... args) {
        return Cli.run(args(command, args));
    }

    TransportSettings settings() {
        return LoopbackSupport.loopback(port);
    }

    /** An entity of the test on this bus. */
    MbusEntity entity(String address) {
        return entity(address, builder -> builder);
    }

    /** An entity of the test on this bus, with more settings, such as a clock of its own. */
    MbusEntity entity(String address, UnaryOperator<EntityConfig.Builder> customize) {
        MbusEntity entity = MbusEntity.start(customize.apply(EntityConfig.builder().address(Address.parse(address))
                .keys(keys).transportSettings(settings())).build());
        resources.add(entity);
        return entity;
    }

    /** A command running on a thread of its own, with its output readable while it runs. */
    static final class Background {
        private final StringWriter out = new StringWriter();
        private final StringWriter err = new StringWriter();
        private final CompletableFuture<Integer> exit = new CompletableFuture<>();
        private final Thread thread;

        Background(String... args) {
            CommandLine commandLine = MbusCommand.commandLine(new MbusCommand(new ByteArrayInputStream(new byte[0])));
            commandLine.setOut(new PrintWriter(out, true));
            commandLine.setErr(new PrintWriter(err, true));
            thread = new Thread(() -> {
                try {
                    exit.complete(commandLine.execute(args));
                } catch (Throwable e) {
                    exit.completeExceptionally(e);
                }
            }, "background-" + args[0]);
            thread.setDaemon(true);
            thread.start();
        }

        String out() {
            return out.toString();
        }

        List<String> outLines() {
            String text = out();
            return text.isEmpty() ? List.of() : List.of(text.split("\n"));
        }

        String err() {
            return err.toString();
        }

        /** Interrupts the command, as a program embedding it would stop it. */
        void interrupt() {
            thread.interrupt();
        }

        int exitCode() throws Exception {
            return exit.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** Starts {@code command} with the bus options and {@code args} in the background. */
    Background background(String command, String... args) {
        Background background = new Background(args(command, args));
        resources.add(background::interrupt);
        return background;
    }

    /** Starts {@code listen} in the background and waits until it listens. */
    Background listener(String... args) {
        Background listener = background("listen", args);
        await(() -> listener.err().contains("listening as"), "listener ready: " + listener.err());
        return listener;
    }

    /**
     * An entity that is heard but never acknowledges: a plain socket saying mbus.hello from
     * {@code address} every 50 ms until closed.
     */
    AutoCloseable mute(String address) throws IOException {
        NetworkInterfaces.Resolved loopback = NetworkInterfaces.resolve("lo", false);
        DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, loopback.networkInterface());
        channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 0);
        channel.bind(new InetSocketAddress(loopback.address(), 0));
        InetSocketAddress group = new InetSocketAddress(settings().groupAddress(), port);
        DatagramCodec codec = new DatagramCodec(keys);
        Address source = Address.parse(address);
        Thread hello = new Thread(() -> {
            for (long sequence = 1; sequence < 2_000 && channel.isOpen(); sequence++) {
                try {
                    byte[] datagram = codec.encode(new Message(sequence, System.currentTimeMillis(), false, source,
                            Address.BROADCAST, List.of(), List.of(Command.of("mbus.hello"))));
                    channel.send(ByteBuffer.wrap(datagram), group);
                    Thread.sleep(50);
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        }, "mute-hello");
        hello.setDaemon(true);
        hello.start();
        AutoCloseable close = () -> {
            channel.close();
            hello.interrupt();
        };
        resources.add(close);
        return close;
    }

    /** Polls until {@code condition} holds; fails after {@link #WAIT}. */
    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    /** Polls until {@code condition} holds or {@code limit} passes; the caller checks what it needs. */
    static void awaitOrNot(BooleanSupplier condition, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }
}
