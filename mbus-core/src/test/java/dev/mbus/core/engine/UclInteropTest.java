package dev.mbus.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mbus.core.DeliveryException;
import dev.mbus.core.message.Command;
import dev.mbus.core.security.MbusKeys;
import dev.mbus.core.testsupport.TestKeys;
import dev.mbus.core.testsupport.UclBus;
import dev.mbus.core.testsupport.UclPeer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our entities with UCL-like peers ({@link UclPeer}) on real loopback sockets: a shared bus-port
 * endpoint, a stop-and-wait peer that falls behind, and its 1,500-byte buffer (issue 10).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UclInteropTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final UclBus bus = new UclBus();

    @AfterEach
    void closeAll() throws Exception {
        bus.close();
    }

    private UclPeer ucl(String address, MbusKeys keys) {
        return bus.ucl(address, keys);
    }

    /** One of ours with the default settings (unicast as the engine decides), closed before the peers. */
    private MbusEntity ours(String address, MbusKeys keys, UnaryOperator<EntityConfig.Builder> customize) {
        return bus.ours(address, keys, customize);
    }

    private static int succeeded(List<CompletableFuture<Void>> sends) {
        int ok = 0;
        for (CompletableFuture<Void> send : sends) {
            try {
                send.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                ok++;
            } catch (Exception e) {
                // counted as not delivered
            }
        }
        return ok;
    }

    /**
     * Finding 1. Another UCL process on the port, with other keys, shares the endpoint its peer's
     * datagrams come from: a datagram sent there reaches whichever of the two the kernel picks,
     * the same one for every datagram of one sender. Three entities in turn (three source
     * ports), so that a unicast that happens to land right for one does not pass the test.
     */
    @ParameterizedTest
    @EnumSource(TestKeys.class)
    void nothingIsLostWhenAnotherProcessSharesTheUclPeersEndpoint(TestKeys keys) throws Exception {
        UclPeer rat = ucl("(app:rat)", keys.keys());
        ucl("(app:rat id:stranger)", MbusKeys.generate());
        int rounds = 3;
        int reliableToRat = 0;
        int ratAcknowledged = 0;
        for (int round = 0; round < rounds; round++) {
            MbusEntity java = ours("(app:java round:" + round + ")", keys.keys(), builder -> builder);
            await().atMost(WAIT).until(() -> java.peers().size() == 1);
            for (int i = 0; i < 50; i++) {
                java.send(rat.address(), Command.of("t.burst", i));
            }
            List<CompletableFuture<Void>> toRat = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                toRat.add(java.sendReliable(rat.address(), Command.of("t.sure", i)));
            }
            reliableToRat += succeeded(toRat);
            List<CompletableFuture<Void>> fromRat = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                fromRat.add(rat.sendReliable(java.address(), Command.of("t.back", i)));
            }
            ratAcknowledged += succeeded(fromRat);
            java.close();
        }

        assertThat(rat.handledCount("t.burst")).as("unreliable bursts").isEqualTo(50 * rounds);
        assertThat(reliableToRat).as("reliable sends to the UCL peer acknowledged").isEqualTo(5 * rounds);
        assertThat(ratAcknowledged).as("the UCL peer's reliable sends acknowledged to it").isEqualTo(2 * rounds);
    }

    /**
     * Finding 2. Many reliable messages in flight to a stop-and-wait peer that falls behind: the
     * retransmission of one that comes after the next was handled is handled again by a peer
     * that only remembers the last number. Two such peers, so that one in flight to each is not
     * enough either.
     */
    @ParameterizedTest
    @EnumSource(TestKeys.class)
    void aStopAndWaitPeerThatFallsBehindHandlesEachReliableMessageOnce(TestKeys keys) throws Exception {
        UclPeer rat = ucl("(app:rat)", keys.keys()).handlerDelay(Duration.ofMillis(2));
        UclPeer vic = ucl("(app:vic)", keys.keys()).handlerDelay(Duration.ofMillis(2));
        MbusEntity java = ours("(app:java)", keys.keys(), builder -> builder.batching(Batching.OFF));
        await().atMost(WAIT).until(() -> java.peers().size() == 2);
        int messages = 150;
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            sends.add(java.sendReliable(rat.address(), Command.of("t.n", i)));
            sends.add(java.sendReliable(vic.address(), Command.of("t.n", i)));
        }

        assertThat(succeeded(sends)).isEqualTo(2 * messages);
        for (UclPeer peer : List.of(rat, vic)) {
            peer.awaitCount("t.n", messages, WAIT); // acknowledged before handled
            assertThat(peer.handledCount("t.n")).as("handler calls at " + peer.address()).isEqualTo(messages);
            Set<Long> distinct = new HashSet<>();
            peer.handled().stream().filter(call -> call.command().name().equals("t.n"))
                    .forEach(call -> distinct.add(call.command().args().get(0).asLong()));
            assertThat(distinct).hasSize(messages);
        }
    }

    /** Finding 3. A message the UCL peer would drop is refused before it is sent, reliable or not. */
    @ParameterizedTest
    @EnumSource(TestKeys.class)
    void aMessageTooLargeForTheUclPeerIsRefusedBeforeSending(TestKeys keys) throws Exception {
        UclPeer rat = ucl("(app:rat)", keys.keys());
        MbusEntity java = ours("(app:java)", keys.keys(), builder -> builder);
        await().atMost(WAIT).until(() -> java.peers().size() == 1);
        String big = "x".repeat(1500);

        CompletableFuture<Void> reliable = java.sendReliable(rat.address(), Command.of("t.big", big));
        assertThatThrownBy(() -> java.send(rat.address(), Command.of("t.big", big)))
                .isInstanceOfSatisfying(DeliveryException.class,
                        e -> assertThat(e.reason()).isEqualTo(DeliveryException.Reason.TOO_LARGE_FOR_DESTINATION));
        assertThatThrownBy(() -> reliable.get(WAIT.toSeconds(), TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(DeliveryException.class, e -> {
                    assertThat(e.reason()).isEqualTo(DeliveryException.Reason.TOO_LARGE_FOR_DESTINATION);
                    assertThat(e.getMessage()).contains("(app:rat)", "1500");
                });
        java.sendReliable(rat.address(), Command.of("t.small", 1)).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(rat.dropped()).as("nothing it could not take reached it").isZero();
        assertThat(java.stats().retransmissions()).as("no gap left behind by a refused message").isZero();
    }

    /** An unreliable message over 1,500 bytes for entities of ours, on a bus with a UCL peer: sent, counted. */
    @ParameterizedTest
    @EnumSource(TestKeys.class)
    void aLargeMessageOnABusWithAUclPeerIsSentToOthersAndCounted(TestKeys keys) throws Exception {
        ucl("(app:rat)", keys.keys());
        MbusEntity java = ours("(app:java)", keys.keys(), builder -> builder);
        MbusEntity other = ours("(app:other)", keys.keys(), builder -> builder);
        List<String> atOther = new ArrayList<>();
        other.subscribe("t.big", in -> {
            synchronized (atOther) {
                atOther.add(in.arg(0).asString());
            }
        });
        await().atMost(WAIT).until(() -> java.peers().size() == 2);
        String big = "x".repeat(1500);

        java.send(other.address(), Command.of("t.big", big));
        java.send(other.address(), Command.of("t.big", big));

        await().atMost(WAIT).until(() -> {
            synchronized (atOther) {
                return atOther.size() == 2;
            }
        });
        assertThat(java.stats().tooLargeForPeers()).isEqualTo(2);
    }
}
