package dev.mbus.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.core.DeliveryException;
import dev.mbus.core.awareness.Peer;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Hello, bye, dead peers, ping, quit, rendezvous and request/reply (protocol §7). */
class AwarenessTest {

    private final MemoryBus bus = new MemoryBus(3);

    @AfterEach
    void closeBus() {
        bus.close();
    }

    private static List<MbusEvent> events(MbusEntity entity) {
        List<MbusEvent> events = new ArrayList<>();
        entity.onEvent(events::add);
        return events;
    }

    @Test
    void peerJoinedEventWhenFirstHeard() {
        MbusEntity a = bus.join("(app:a)");
        List<MbusEvent> events = events(a);
        MbusEntity b = bus.join("(app:b)");
        bus.deliver();

        assertThat(events).hasSize(1);
        assertThat(((MbusEvent.PeerJoined) events.get(0)).peer().address()).isEqualTo(b.address());
    }

    @Test
    void whatAnEntitySentBeforeItsByeButArrivesAfterItDoesNotBringItBack() {
        MbusEntity a = bus.join("(app:a)");
        MbusEntity b = bus.join("(app:b)");
        List<Long> handled = MemoryBus.firstArguments(a, "n");
        bus.deliver();
        List<byte[]> fromB = new ArrayList<>();
        bus.network.tap(packet -> {
            if (packet.from().equals(b.localEndpoint())) {
                fromB.add(packet.data());
            }
        });
        bus.network.dropNextFrom(b.localEndpoint(), 1);
        b.send(a.address(), Command.of("n", 1)); // held up on its way: it comes after the bye
        b.close();
        bus.deliver();
        assertThat(a.peers()).isEmpty();

        bus.network.inject(fromB.get(0), b.localEndpoint());
        bus.deliver();

        assertThat(a.peers()).as("b said bye").isEmpty();
        assertThat(handled).isEmpty();
        assertThat(a.stats().duplicates()).isEqualTo(1);

        bus.run(Duration.ofMillis(10));
        MbusEntity again = bus.join(b.address().toString()); // restarted with the same address
        bus.deliver();
        assertThat(a.peers()).extracting(Peer::address).containsExactly(again.address());
    }

    @Test
    void listenersGivenToTheBuilderSeeTheFirstPeers() {
        MbusEntity old = bus.join("(app:old)");
        List<MbusEvent> events = new ArrayList<>();
        bus.join("(app:new)", builder -> builder.eventListener(events::add));
        bus.run(Duration.ofMillis(20));

        assertThat(events).singleElement().isInstanceOfSatisfying(MbusEvent.PeerJoined.class,
                joined -> assertThat(joined.peer().address()).isEqualTo(old.address()));
    }

    @Test
    void newcomerLearnsOfExistingEntitiesWithinATickOrTwoNotAWholeHelloInterval() {
        MbusEntity old = bus.join("(app:old)");
        bus.run(Duration.ofSeconds(3));
        MbusEntity newcomer = bus.join("(app:new)");
        bus.deliver();
        assertThat(old.peers()).extracting(Peer::address).containsExactly(newcomer.address());

        bus.run(Duration.ofMillis(20));

        assertThat(newcomer.peers()).extracting(Peer::address).containsExactly(old.address());
    }

    @Test
    void aNewcomerRightAfterAHelloIsGreetedATenthOfASecondLaterNotAtTheNextInterval() {
        MbusEntity old = bus.join("(app:old)");
        bus.run(Duration.ofMillis(30));
        MbusEntity newcomer = bus.join("(app:new)");
        bus.deliver();

        bus.run(Duration.ofMillis(60));
        assertThat(newcomer.peers()).isEmpty();
        bus.run(Duration.ofMillis(20));

        assertThat(newcomer.peers()).extracting(Peer::address).containsExactly(old.address());
    }

    @Test
    void helloIsRepeatedAboutOnceASecondWhileFewEntitiesAreKnown() {
        MbusEntity a = bus.join("(app:a)");
        long before = a.stats().sent();

        bus.run(Duration.ofSeconds(10));

        // One hello per interval of 0.9 to 1.1 s.
        assertThat(a.stats().sent() - before).isBetween(9L, 11L);
    }

    @Test
    void byeRemovesThePeerAtOnce() {
        MbusEntity a = bus.join("(app:a)");
        MbusEntity b = bus.join("(app:b)");
        bus.deliver();
        List<MbusEvent> events = events(a);

        b.close();
        bus.deliver();

        assertThat(a.peers()).isEmpty();
        assertThat(events).singleElement().isInstanceOfSatisfying(MbusEvent.PeerLeft.class, left -> {
            assertThat(left.reason()).isEqualTo(MbusEvent.LeaveReason.BYE);
            assertThat(left.peer().address()).isEqualTo(b.address());
        });
    }

    @Test
    void silentPeerIsGoneAfterFiveHelloIntervals() {
        MbusEntity a = bus.join("(app:a)");
        MbusEntity b = bus.join("(app:b)");
        bus.deliver();
        List<MbusEvent> events = events(a);
        bus.transportOf(b).close();

        bus.run(Duration.ofMillis(4_900));
        assertThat(a.peers()).hasSize(1);
        bus.run(Duration.ofMillis(200));

        assertThat(a.peers()).isEmpty();
        assertThat(events).singleElement().isInstanceOfSatisfying(MbusEvent.PeerLeft.class,
                left -> assertThat(left.reason()).isEqualTo(MbusEvent.LeaveReason.TIMEOUT));
    }

    @Test
    void livePeersStayKnownThroughTheirHellos() {
        MbusEntity a = bus.join("(app:a)");
        bus.join("(app:b)");
        bus.run(Duration.ofSeconds(30));

        assertThat(a.peers()).hasSize(1);
    }

    @Test
    void pingIsAnsweredWithHelloToThePinger() {
        MbusEntity pinger = bus.join("(app:pinger)");
        MbusEntity target = bus.join("(app:target)");
        MbusEntity bystander = bus.join("(app:bystander)");
        List<IncomingCommand> hellos = new ArrayList<>();
        List<IncomingCommand> bystanderHellos = new ArrayList<>();
        pinger.subscribe("mbus.hello", hellos::add);
        bystander.subscribe("mbus.hello", bystanderHellos::add);
        bus.deliver();

        pinger.send(Address.parse("(app:target)"), Command.of("mbus.ping"));
        bus.deliver();

        assertThat(hellos).filteredOn(hello -> !hello.message().destination().isBroadcast())
                .singleElement().satisfies(hello -> {
                    assertThat(hello.source()).isEqualTo(target.address());
                    assertThat(hello.message().destination()).isEqualTo(pinger.address());
                });
        assertThat(bystanderHellos).allSatisfy(hello -> assertThat(hello.message().destination().isBroadcast()).isTrue());
    }

    @Test
    void quitRaisesAnEventAndTheEntityKeepsRunning() {
        MbusEntity boss = bus.join("(app:boss)");
        MbusEntity worker = bus.join("(app:worker)");
        List<MbusEvent> events = events(worker);
        bus.deliver();

        boss.send(worker.address(), Command.of("mbus.quit"));
        bus.deliver();

        assertThat(events).filteredOn(MbusEvent.QuitRequested.class::isInstance)
                .containsExactly(new MbusEvent.QuitRequested(boss.address()));
        assertThat(worker.isRunning()).isTrue();
    }

    @Test
    void rendezvousRepeatsWaitingUntilGo() {
        MbusEntity waiter = bus.join("(app:ui)");
        MbusEntity controller = bus.join("(app:controller)");
        List<String> waitingTokens = new ArrayList<>();
        controller.onEvent(event -> {
            if (event instanceof MbusEvent.WaitingReceived waiting) {
                waitingTokens.add(waiting.token());
            }
        });
        bus.deliver();

        CompletableFuture<Address> released = waiter.awaitGo(controller.address(), "ui-ready", Duration.ofSeconds(10));
        bus.run(Duration.ofMillis(2_500));
        assertThat(waitingTokens).containsExactly("ui-ready", "ui-ready", "ui-ready");
        assertThat(released).isNotDone();

        controller.sendGo(waiter.address(), "ui-ready");
        bus.deliver();

        assertThat(released).isCompletedWithValue(controller.address());
        bus.run(Duration.ofSeconds(3));
        assertThat(waitingTokens).hasSize(3);
    }

    @Test
    void rendezvousTimesOut() {
        MbusEntity waiter = bus.join("(app:ui)");
        CompletableFuture<Address> released = waiter.awaitGo(Address.BROADCAST, "never", Duration.ofSeconds(2));

        bus.run(Duration.ofMillis(2_010));

        assertThat(released).isCompletedExceptionally();
        assertThat(released.handle((ok, error) -> ((DeliveryException) error).reason()).join())
                .isEqualTo(DeliveryException.Reason.TIMEOUT);
    }

    @Test
    void requestIsAnsweredByTheReturnCommand() {
        MbusEntity client = bus.join("(app:client)");
        MbusEntity server = bus.join("(app:server)");
        server.subscribe("math.add", in -> server.reply(in, List.of(in.arg(0).asLong() + in.arg(1).asLong())));
        bus.deliver();

        CompletableFuture<IncomingCommand> answer = client.request(Address.parse("(app:server)"),
                Command.of("math.add", 2, 3), Duration.ofSeconds(1));
        bus.deliver();

        assertThat(answer).isCompleted();
        assertThat(answer.join().name()).isEqualTo("math.add.return");
        assertThat(answer.join().arg(0).asLong()).isEqualTo(5);
        assertThat(answer.join().source()).isEqualTo(server.address());
    }

    @Test
    void requestWithoutReplyTimesOut() {
        MbusEntity client = bus.join("(app:client)");
        bus.join("(app:server)");
        bus.deliver();

        CompletableFuture<IncomingCommand> answer = client.request(Address.parse("(app:server)"),
                Command.of("math.add", 2, 3), Duration.ofMillis(500));
        bus.run(Duration.ofMillis(510));

        assertThat(answer).isCompletedExceptionally();
        assertThat(answer.handle((ok, error) -> ((DeliveryException) error).reason()).join())
                .isEqualTo(DeliveryException.Reason.TIMEOUT);
    }

    @Test
    void awaitPeerCompletesWhenAMatchingEntityIsHeard() {
        MbusEntity a = bus.join("(app:a)");
        CompletableFuture<Peer> found = a.awaitPeer(Address.parse("(app:late)"), Duration.ofSeconds(5));
        bus.run(Duration.ofMillis(100));
        assertThat(found).isNotDone();

        MbusEntity late = bus.join("(app:late)");
        bus.deliver();

        assertThat(found).isCompleted();
        assertThat(found.join().address()).isEqualTo(late.address());
    }

    @Test
    void closeSendsByeAndFailsWhatIsPending() {
        MbusEntity a = bus.join("(app:a)");
        MbusEntity b = bus.join("(app:b)");
        bus.deliver();
        List<IncomingCommand> byes = new ArrayList<>();
        b.subscribe("mbus.bye", byes::add);
        CompletableFuture<Void> pending = a.sendReliable(b.address(), Command.of("x"));

        a.close();
        bus.deliver();

        assertThat(byes).extracting(IncomingCommand::source).containsExactly(a.address());
        assertThat(pending).isCompletedExceptionally();
        assertThat(pending.handle((ok, error) -> ((DeliveryException) error).reason()).join())
                .isIn(DeliveryException.Reason.CLOSED);
        assertThat(a.isRunning()).isFalse();
        assertThat(bus.transportOf(a).isClosed()).isTrue();
        assertThat(a.sendReliable(b.address(), Command.of("x")).handle((ok, error) -> error))
                .succeedsWithin(Duration.ofSeconds(1)).isInstanceOf(DeliveryException.class);
        try {
            pending.join();
        } catch (CompletionException expected) {
            assertThat(expected.getCause()).hasMessageContaining("closed");
        }
    }
}
