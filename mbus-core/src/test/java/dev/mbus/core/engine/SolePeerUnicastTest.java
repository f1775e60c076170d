package dev.mbus.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Unicast only when the destination is the one entity the sender knows, so nobody it knows misses a number. */
class SolePeerUnicastTest {

    private static final DatagramCodec CODEC = new DatagramCodec(MemoryBus.KEYS);

    private final MemoryBus bus = new MemoryBus(11);
    private final List<MemoryNetwork.Packet> wire = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void close() {
        bus.close();
    }

    /** Where a's datagrams carrying {@code command} went: an endpoint, or null for the group. */
    private List<InetSocketAddress> targetsOf(MbusEntity a, String command) {
        return wire.stream().filter(packet -> packet.from().equals(a.localEndpoint()))
                .filter(packet -> CODEC.decode(packet.data()).commands().stream().anyMatch(c -> c.name().equals(command)))
                .map(MemoryNetwork.Packet::to).toList();
    }

    @Test
    void toItsOnlyPeerAnEntitySendsStraightToThatPeersEndpoint() {
        MbusEntity a = bus.join("(app:a)");
        MbusEntity b = bus.join("(app:b)");
        bus.deliver();
        bus.network.tap(wire::add);

        a.send(b.address(), Command.of("plain"));
        a.sendReliable(b.address(), Command.of("sure"));
        bus.run(Duration.ofSeconds(2));

        assertThat(targetsOf(a, "plain")).containsExactly(b.localEndpoint());
        assertThat(targetsOf(a, "sure")).containsExactly(b.localEndpoint());
        assertThat(targetsOf(a, "mbus.hello")).as("to everyone, known or not").isNotEmpty().containsOnlyNulls();
    }

    @Test
    void withAThirdEntityKnownEverythingGoesToTheGroup() {
        MbusEntity a = bus.join("(app:a)");
        MbusEntity b = bus.join("(app:b)");
        MbusEntity c = bus.join("(app:c)");
        List<Long> atC = MemoryBus.firstArguments(c, "n");
        bus.deliver();
        bus.network.tap(wire::add);

        a.sendReliable(b.address(), Command.of("sure"));
        a.send(c.address(), Command.of("n", 1));
        bus.deliver();

        assertThat(targetsOf(a, "sure")).containsOnlyNulls();
        assertThat(atC).containsExactly(1L);
    }

    @Test
    void aByeGoesTheWayTheLastMessagesWentSoThatItCannotOvertakeThem() {
        MbusEntity a = bus.join("(app:a)");
        MbusEntity b = bus.join("(app:b)");
        bus.deliver();
        bus.network.tap(wire::add);
        a.sendReliable(b.address(), Command.of("sure"));
        bus.network.deliverAll(); // b owes the acknowledgement

        b.close();
        bus.deliver();

        List<MemoryNetwork.Packet> fromB = wire.stream().filter(packet -> packet.from().equals(b.localEndpoint())).toList();
        assertThat(fromB).extracting(MemoryNetwork.Packet::to).containsOnly(a.localEndpoint());
        assertThat(targetsOf(b, "mbus.bye")).containsExactly(a.localEndpoint());
        assertThat(a.peers()).isEmpty();
    }

    @Test
    void withUnicastOffEverythingGoesToTheGroup() {
        TransportSettings multicastOnly = TransportSettings.defaults().withUnicast(false);
        MbusEntity a = bus.join("(app:a)", builder -> builder.transportSettings(multicastOnly));
        MbusEntity b = bus.join("(app:b)");
        bus.deliver();
        bus.network.tap(wire::add);

        a.sendReliable(b.address(), Command.of("sure"));
        bus.deliver();

        assertThat(targetsOf(a, "sure")).containsOnlyNulls();
    }

    /** A hello as a UCL tool sends it, from the bus port every such tool of the host shares. */
    private void uclHello(String address, int port) {
        Message hello = new Message(1, bus.clock.currentTimeMillis(), false, Address.parse(address), Address.BROADCAST,
                List.of(), List.of(new Command("mbus.hello", List.of())));
        bus.network.inject(CODEC.encode(hello), new InetSocketAddress("127.0.0.1", port));
    }

    @Test
    void aSolePeerOnTheBusPortGetsEverythingThroughTheGroup() {
        MbusEntity a = bus.join("(app:a)");
        uclHello("(app:rat)", TransportSettings.DEFAULT_PORT);
        bus.deliver();
        assertThat(a.peers()).singleElement().satisfies(peer -> assertThat(peer.kind()).isEqualTo(PeerKind.UCL));
        bus.network.tap(wire::add);

        a.send(Address.parse("(app:rat)"), Command.of("plain"));
        a.sendReliable(Address.parse("(app:rat)"), Command.of("sure"));
        bus.deliver();

        assertThat(targetsOf(a, "plain")).containsOnlyNulls().hasSize(1);
        assertThat(targetsOf(a, "sure")).containsOnlyNulls().hasSize(1);
    }

    @Test
    void aSolePeerNotShownToBeOursGetsEverythingThroughTheGroup() {
        MbusEntity a = bus.join("(app:a)");
        uclHello("(app:gmbus)", 40999); // its own port, but a hello that does not say it is one of ours
        bus.deliver();
        assertThat(a.peers()).singleElement().satisfies(peer -> assertThat(peer.kind()).isEqualTo(PeerKind.OTHER));
        bus.network.tap(wire::add);

        a.send(Address.parse("(app:gmbus)"), Command.of("plain"));
        bus.deliver();

        assertThat(targetsOf(a, "plain")).containsOnlyNulls().hasSize(1);
    }

    @Test
    void ourOwnEntitiesKeepTheWindow() {
        MbusEntity a = bus.join("(app:a)", builder -> builder.batching(Batching.OFF));
        MbusEntity b = bus.join("(app:b)");
        bus.deliver();
        assertThat(a.peers()).singleElement().satisfies(peer -> assertThat(peer.isOurs()).isTrue());

        for (int i = 0; i < 10; i++) {
            a.sendReliable(b.address(), Command.of("sure", i));
        }

        assertThat(a.stats().reliableInFlight()).isEqualTo(10);
        bus.deliver();
        assertThat(a.stats().reliableInFlight()).isZero();
    }
}
