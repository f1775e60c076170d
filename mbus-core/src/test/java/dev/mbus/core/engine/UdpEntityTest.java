package dev.mbus.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mbus.core.DeliveryException;
import dev.mbus.core.InvalidDatagramException;
import dev.mbus.core.awareness.Peer;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.security.DatagramSecurity;
import dev.mbus.core.transport.LoopbackSupport;
import dev.mbus.core.transport.TransportSettings;
import dev.mbus.core.transport.UdpTransport;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Entities on real UDP sockets: loopback only, TTL 0, a free port per test. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UdpEntityTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final TransportSettings settings = LoopbackSupport.loopback(LoopbackSupport.freePort());
    private final List<MbusEntity> entities = new ArrayList<>();

    @AfterEach
    void closeAll() {
        entities.forEach(MbusEntity::close);
    }

    private MbusEntity join(String address) {
        return join(address, builder -> builder);
    }

    private MbusEntity join(String address, UnaryOperator<EntityConfig.Builder> customize) {
        EntityConfig.Builder builder = EntityConfig.builder().address(Address.parse(address)).keys(MemoryBus.KEYS)
                .transportSettings(settings);
        MbusEntity entity = MbusEntity.start(customize.apply(builder).build());
        entities.add(entity);
        return entity;
    }

    private static void awaitPeers(MbusEntity entity, int count) {
        await().atMost(WAIT).until(() -> entity.peers().size() == count);
    }

    @Test
    void threeEntitiesDiscoverEachOtherAndExchangeMessages() {
        MbusEntity a = join("(app:udp module:a)");
        MbusEntity b = join("(app:udp module:b)");
        MbusEntity c = join("(app:udp module:c)");
        List<String> atB = Collections.synchronizedList(new ArrayList<>());
        List<String> atC = Collections.synchronizedList(new ArrayList<>());
        b.subscribe("t.*", in -> atB.add(in.command().toString()));
        c.subscribe("t.*", in -> atC.add(in.command().toString()));
        awaitPeers(a, 2);
        awaitPeers(b, 2);
        awaitPeers(c, 2);
        assertThat(b.peers()).extracting(Peer::endpoint).contains(a.localEndpoint());

        a.send(Address.BROADCAST, Command.of("t.all", "hi"));
        a.sendReliable(Address.parse("(module:b)"), Command.of("t.one", 1)).join();

        await().atMost(WAIT).until(() -> atB.size() == 2 && atC.size() == 1);
        assertThat(atB).containsExactly("t.all (\"hi\")", "t.one (1)");
        assertThat(atC).containsExactly("t.all (\"hi\")");
    }

    @Test
    void requestReplyPingAndRendezvousOverUdp() {
        MbusEntity client = join("(app:client)");
        MbusEntity server = join("(app:server)");
        server.subscribe("echo", in -> server.reply(in, in.command().args()));
        server.onEvent(event -> {
            if (event instanceof MbusEvent.WaitingReceived waiting) {
                server.sendGo(waiting.source(), waiting.token());
            }
        });
        client.awaitPeer(Address.parse("(app:server)"), WAIT).join();
        awaitPeers(server, 1);

        IncomingCommand reply = client.request(server.address(), Command.of("echo", "x", 2), WAIT).join();
        assertThat(reply.command()).isEqualTo(Command.of("echo.return", "x", 2));

        List<IncomingCommand> hellos = Collections.synchronizedList(new ArrayList<>());
        client.subscribe("mbus.hello", hellos::add);
        client.send(server.address(), Command.of("mbus.ping"));
        await().atMost(WAIT).until(() -> hellos.stream().anyMatch(h -> h.message().destination().equals(client.address())));

        assertThat(client.awaitGo(server.address(), "ready", WAIT).join()).isEqualTo(server.address());
    }

    @Test
    void tenThousandReliableMessagesThroughTwentyPercentLossOnRealSockets() throws Exception {
        // With 20 % loss each way an attempt succeeds with probability 0.64; 20 retransmissions
        // make a failure among 10,000 messages vanishingly rare (12 left it at about 2 % a run).
        ProtocolTimers persistent = ProtocolTimers.RFC.withRetransmissions(Duration.ofMillis(50), 20);
        LossyTransport intoA = new LossyTransport(UdpTransport.open(settings), 0.2, 1);
        LossyTransport intoB = new LossyTransport(UdpTransport.open(settings), 0.2, 2);
        MbusEntity a = join("(app:a)", builder -> builder.transport(intoA).timers(persistent));
        MbusEntity b = join("(app:b)", builder -> builder.transport(intoB).timers(persistent));
        List<Long> delivered = MemoryBus.firstArguments(b, "n");
        a.awaitPeer(b.address(), WAIT).join();

        List<CompletableFuture<Void>> outcomes = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            outcomes.add(a.sendReliable(b.address(), Command.of("n", i)));
        }
        CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).get(45, TimeUnit.SECONDS);

        // Messages behind a lost hello wait out the hold time (about 10 s with these timers).
        await().atMost(Duration.ofSeconds(30)).until(() -> delivered.size() >= 10_000);
        assertThat(delivered).containsExactlyElementsOf(LongStream.range(0, 10_000).boxed().toList());
        assertThat(intoA.lost()).isPositive();
        assertThat(intoB.lost()).isPositive();
        assertThat(a.stats().retransmissions()).isPositive();
    }

    @Test
    void vanishedPeerMakesPendingReliableSendsFailWithTheTimeoutReason() {
        MbusEntity a = join("(app:a)");
        UdpTransport bTransport = UdpTransport.open(settings);
        MbusEntity b = join("(app:b)", builder -> builder.transport(bTransport));
        a.awaitPeer(b.address(), WAIT).join();
        bTransport.close(); // b's process "dies": no bye, no acknowledgements

        long start = System.nanoTime();
        CompletableFuture<Void> sent = a.sendReliable(b.address(), Command.of("x"));
        Throwable error = sent.handle((ok, e) -> e).join();
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(error).isInstanceOf(DeliveryException.class);
        assertThat(((DeliveryException) error).reason()).isEqualTo(DeliveryException.Reason.NO_ACKNOWLEDGEMENT);
        assertThat(waitedMillis).as("fails after the retransmissions, about 1 s").isBetween(950L, 3_000L);
    }

    @Test
    void hostileDatagramsOnThePortAreCountedWhileTrafficFlows() throws Exception {
        MbusEntity a = join("(app:a)");
        MbusEntity b = join("(app:b)");
        List<Long> delivered = MemoryBus.firstArguments(b, "n");
        a.awaitPeer(b.address(), WAIT).join();
        String header = "mbus/1.0 5 1795672000000 U (app:evil id:1) () ()\n";
        byte[] deep = sign(header + "n (" + "(".repeat(1000) + ")".repeat(1000) + ")\n");
        byte[] bigNumber = sign(header + "n (123456789012345678901234567890)\n");
        byte[] badDigest = sign(header + "n (1)\n");
        badDigest[3] ^= 1;
        List<byte[]> hostile = List.of(new byte[3], "0123456789abcdef\ngarbage".getBytes(StandardCharsets.US_ASCII),
                badDigest, deep, bigNumber, new byte[60_000]);

        List<CompletableFuture<Void>> outcomes = new ArrayList<>();
        try (DatagramChannel attacker = loopbackSender()) {
            for (int round = 0; round < 20; round++) {
                for (byte[] datagram : hostile) {
                    attacker.send(ByteBuffer.wrap(datagram), new InetSocketAddress(settings.groupAddress(), settings.port()));
                }
                outcomes.add(a.sendReliable(b.address(), Command.of("n", round)));
            }
        }
        CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> delivered.size() == 20);
        assertThat(delivered).containsExactlyElementsOf(LongStream.range(0, 20).boxed().toList());
        await().atMost(WAIT).until(() -> b.stats().droppedTotal() == 120);
        var dropped = b.stats().dropped();
        assertThat(dropped.get(InvalidDatagramException.Reason.TOO_SHORT)).isEqualTo(40);
        assertThat(dropped.get(InvalidDatagramException.Reason.BAD_DIGEST)).isEqualTo(40);
        assertThat(dropped.get(InvalidDatagramException.Reason.PARSE_ERROR)).isEqualTo(40);
        assertThat(dropped.get(InvalidDatagramException.Reason.OVERSIZED)).isZero();
        assertThat(b.isRunning()).isTrue();
    }

    private static byte[] sign(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new DatagramSecurity(MemoryBus.KEYS).seal(bytes, 0, bytes.length);
    }

    private static DatagramChannel loopbackSender() throws Exception {
        DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, NetworkInterface.getByName("lo"));
        channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 0);
        channel.bind(new InetSocketAddress("127.0.0.1", 0));
        return channel;
    }

    @Test
    void closeReleasesSocketsAndThreadsAndSaysBye() {
        MbusEntity a = join("(app:a)");
        MbusEntity b = join("(app:b)");
        List<MbusEvent> atA = Collections.synchronizedList(new ArrayList<>());
        a.onEvent(atA::add);
        a.awaitPeer(b.address(), WAIT).join();
        awaitPeers(b, 1);
        String id = b.address().get("id");

        b.close(Duration.ofSeconds(1));

        await().atMost(WAIT).until(() -> atA.stream().anyMatch(e -> e instanceof MbusEvent.PeerLeft left
                && left.reason() == MbusEvent.LeaveReason.BYE));
        assertThat(a.peers()).isEmpty();
        await().atMost(WAIT).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().contains(id)));
        MbusEntity again = join("(app:b)");
        a.awaitPeer(again.address(), WAIT).join();
    }
}
