package dev.mbus.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mbus.core.awareness.PeerKind;
import dev.mbus.core.codec.DatagramCodec;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.Message;
import dev.mbus.core.transport.MemoryNetwork;
import dev.mbus.core.transport.TransportSettings;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Batches grow past 1,500 bytes only while every entity known is one of ours. */
class OwnDatagramSizeTest {

    private static final DatagramCodec CODEC = new DatagramCodec(MemoryBus.KEYS);
    private static final int BURST = 400;

    private final MemoryBus bus = new MemoryBus(13);
    private List<MemoryNetwork.Packet> wire;
    private final MbusEntity a = bus.join("(app:a)");
    private final MbusEntity b = bus.join("(app:b)");
    private final List<Long> handled = MemoryBus.firstArguments(b, "n");

    OwnDatagramSizeTest() {
        bus.deliver();
        bus.run(Duration.ofMillis(10)); // past any linger of the hellos
        wire = bus.tapFrom(a);
    }

    @AfterEach
    void close() {
        bus.close();
    }

    private void sendBurst() {
        for (long n = 0; n < BURST; n++) {
            a.send(b.address(), Command.of("n", n, "some text to make the command longer"));
        }
        bus.deliver();
    }

    private List<Integer> sizes() {
        return wire.stream().map(packet -> packet.data().length).toList();
    }

    /** A hello as another implementation sends it: from the bus port (a UCL tool) or a port of its own. */
    private void foreignHello(String address, int port) {
        Message hello = new Message(1, bus.clock.currentTimeMillis(), false, Address.parse(address), Address.BROADCAST,
                List.of(), List.of(new Command("mbus.hello", List.of())));
        bus.network.inject(CODEC.encode(hello), new InetSocketAddress("127.0.0.1", port));
        bus.network.deliverAll();
        wire.clear();
    }

    @Test
    void betweenTwoOfOurEntitiesABatchGrowsPastFifteenHundredBytesUpToTheOwnLimit() {
        assertThat(a.peers()).singleElement().satisfies(peer -> assertThat(peer.isOurs()).isTrue());

        sendBurst();

        assertThat(handled).containsExactlyElementsOf(LongStream.range(0, BURST).boxed().toList());
        assertThat(sizes()).anySatisfy(size -> assertThat(size).isGreaterThan(1500));
        assertThat(sizes()).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(
                Batching.DEFAULT.maxOwnDatagramBytes()));
    }

    @Test
    void reliableBatchesBetweenOurEntitiesGrowToo() {
        List<CompletableFuture<Void>> outcomes = new ArrayList<>();
        for (long n = 0; n < BURST; n++) {
            outcomes.add(a.sendReliable(b.address(), Command.of("n", n, "some text to make the command longer")));
        }
        bus.deliver();
        bus.run(Duration.ofMillis(100));

        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome).isCompletedWithValue(null));
        assertThat(handled).containsExactlyElementsOf(LongStream.range(0, BURST).boxed().toList());
        assertThat(sizes()).anySatisfy(size -> assertThat(size).isGreaterThan(1500));
    }

    @Test
    void withAUclToolKnownBatchesStayWithinFifteenHundredBytes() {
        foreignHello("(app:rat)", TransportSettings.DEFAULT_PORT);
        assertThat(a.peers()).anySatisfy(peer -> assertThat(peer.kind()).isEqualTo(PeerKind.UCL));

        sendBurst();

        assertThat(handled).hasSize(BURST);
        assertThat(wire).hasSizeGreaterThan(1);
        assertThat(sizes()).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(1500));
    }

    @Test
    void withAPeerOfUnknownKindKnownBatchesStayWithinFifteenHundredBytes() {
        foreignHello("(app:gmbus)", 40999); // a port of its own, but no hello of ours: OTHER
        assertThat(a.peers()).anySatisfy(peer -> assertThat(peer.kind()).isEqualTo(PeerKind.OTHER));

        sendBurst();

        assertThat(handled).hasSize(BURST);
        assertThat(sizes()).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(1500));
    }

    @Test
    void theOwnLimitIsAtLeastTheCommonOneAndAtMostALargestDatagram() {
        Duration linger = Batching.DEFAULT.linger();
        assertThatThrownBy(() -> new Batching(linger, 1500, 1400)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1400");
        assertThatThrownBy(() -> new Batching(linger, 1500, DatagramCodec.MAX_DATAGRAM_BYTES + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65507");
        assertThat(new Batching(linger, 20_000).maxOwnDatagramBytes()).as("never below the common limit")
                .isEqualTo(20_000);
        assertThat(Batching.DEFAULT.maxDatagramBytes()).isEqualTo(1500);
    }
}
