package dev.mbus.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mbus.core.codec.DatagramCodec;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.Message;
import dev.mbus.core.transport.MemoryNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Commands sent in a burst share messages; a lone command is never held back. */
class BatchingTest {

    private static final DatagramCodec CODEC = new DatagramCodec(MemoryBus.KEYS);

    private final MemoryBus bus = new MemoryBus(7);
    private List<MemoryNetwork.Packet> wire;
    private final MbusEntity a = bus.join("(app:a)");
    private final MbusEntity b = bus.join("(app:b)");
    private final List<Long> handled = MemoryBus.firstArguments(b, "n");

    BatchingTest() {
        bus.deliver();
        bus.run(Duration.ofMillis(10)); // past any linger of the hellos
        wire = bus.tapFrom(a);
    }

    @AfterEach
    void close() {
        bus.close();
    }

    @Test
    void aLoneSendGoesOutAtOnce() {
        a.send(b.address(), Command.of("n", 1));

        assertThat(wire).hasSize(1);
        bus.network.deliverAll(); // no flush: it is already on the wire
        assertThat(handled).containsExactly(1L);
    }

    @Test
    void aBurstSharesMessagesThatKeepTheOrderAndFitTheSizeForOurOwnEntities() {
        for (long n = 0; n < 200; n++) {
            a.send(b.address(), Command.of("n", n, "some text to make the command longer"));
        }
        bus.deliver();

        assertThat(handled).containsExactlyElementsOf(LongStream.range(0, 200).boxed().toList());
        assertThat(wire).hasSizeBetween(2, 40);
        assertThat(wire).allSatisfy(packet -> assertThat(packet.data().length)
                .isLessThanOrEqualTo(Batching.DEFAULT.maxOwnDatagramBytes()));
        assertThat(a.stats().commandsSent() - a.stats().sent()).as("commands that shared a message").isPositive();
    }

    @Test
    void aBatchGoesOutWithinTheLingerWithoutAnyFlush() {
        for (long n = 1; n <= 4; n++) {
            a.send(b.address(), Command.of("n", n));
        }
        assertThat(wire).as("two close together are no burst yet: the first two at once, the others wait").hasSize(2);

        bus.run(MemoryBus.TICK); // the timer duty sends what has waited its linger

        assertThat(wire).hasSize(3);
        assertThat(CODEC.decode(wire.get(2).data()).commands()).hasSize(2);
        assertThat(handled).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void aSendAfterTheLingerSendsTheWaitingBatchEvenWhenTheTimerIsLate() {
        for (long n = 1; n <= 4; n++) {
            a.send(b.address(), Command.of("n", n));
        }
        assertThat(wire).hasSize(2);

        bus.clock.advance(Batching.DEFAULT.linger()); // no timer duty runs
        a.send(b.address(), Command.of("n", 5));

        assertThat(wire).as("the overdue batch, then the new send").hasSize(4);
        assertThat(CODEC.decode(wire.get(2).data()).commands()).hasSize(2);
        bus.network.deliverAll();
        assertThat(handled).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void aSteadyPaceSlowerThanTheLingerNeverWaits() {
        Duration pace = Batching.DEFAULT.linger().plusNanos(1);
        for (long n = 1; n <= 20; n++) {
            bus.clock.advance(pace);
            a.send(b.address(), Command.of("n", n));
            assertThat(wire).hasSize((int) n);
        }
        // Late once: the next send comes right after the one before, and still goes at once.
        a.send(b.address(), Command.of("n", 21));
        assertThat(wire).hasSize(21);
    }

    @Test
    void reliableSendsInABurstShareOneAcknowledgementEach() {
        List<CompletableFuture<Void>> outcomes = new ArrayList<>();
        for (long n = 0; n < 50; n++) {
            outcomes.add(a.sendReliable(b.address(), Command.of("n", n)));
        }
        bus.deliver();
        bus.run(Duration.ofMillis(100));

        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome).isCompletedWithValue(null));
        assertThat(handled).containsExactlyElementsOf(LongStream.range(0, 50).boxed().toList());
        List<Message> reliable = wire.stream().map(packet -> CODEC.decode(packet.data())).filter(Message::reliable).toList();
        assertThat(reliable.size()).isLessThan(50);
        assertThat(reliable.stream().mapToInt(message -> message.commands().size()).sum()).isEqualTo(50);
        assertThat(a.stats().reliableAcknowledged()).isEqualTo(50);
    }

    @Test
    void aLostBatchIsRetransmittedWholeAndEverySendInItCompletes() {
        a.send(b.address(), Command.of("n", 0)); // the start of a burst, so that the next ones wait together
        a.send(b.address(), Command.of("n", 1));
        bus.network.deliverAll();
        bus.network.dropNextFrom(a.localEndpoint(), 1);
        List<CompletableFuture<Void>> outcomes = List.of(
                a.sendReliable(b.address(), Command.of("n", 2)), a.sendReliable(b.address(), Command.of("n", 3)));
        bus.deliver();
        assertThat(handled).containsExactly(0L, 1L);

        bus.run(Duration.ofMillis(200));

        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome).isCompletedWithValue(null));
        assertThat(handled).containsExactly(0L, 1L, 2L, 3L);
        assertThat(a.stats().retransmissions()).as("one datagram carried both").isEqualTo(1);
    }

    @Test
    void commandsForAnotherDestinationOrOfTheOtherKindCloseTheBatchInOrder() {
        MbusEntity c = bus.join("(app:c)");
        List<Long> atC = MemoryBus.firstArguments(c, "n");
        bus.deliver();
        bus.run(Duration.ofMillis(10));
        wire.clear();

        a.send(b.address(), Command.of("n", 1));
        a.send(b.address(), Command.of("n", 2));
        a.send(c.address(), Command.of("n", 3));
        CompletableFuture<Void> reliable = a.sendReliable(b.address(), Command.of("n", 4));
        a.send(b.address(), Command.of("n", 5));
        bus.deliver();
        bus.run(Duration.ofMillis(100));

        assertThat(handled).containsExactly(1L, 2L, 4L, 5L);
        assertThat(atC).containsExactly(3L);
        assertThat(reliable).isCompletedWithValue(null);
        List<Long> sequences = wire.stream().map(packet -> CODEC.decode(packet.data()))
                .filter(message -> !message.commands().isEmpty()).map(Message::sequence).toList();
        assertThat(sequences).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void aCommandThatCannotBeWrittenFailsItsOwnSenderOnly() {
        a.send(b.address(), Command.of("n", 1));
        a.send(b.address(), Command.of("n", 2));

        assertThatThrownBy(() -> a.send(b.address(), Command.of("n", 3, "\uD800")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("surrogate");
        a.send(b.address(), Command.of("n", 4));
        bus.deliver();

        assertThat(handled).containsExactly(1L, 2L, 4L);
    }

    @Test
    void aReliableCommandThatCannotBeWrittenTakesNoRoomInTheWindow() throws Exception {
        MbusEntity narrow = bus.join("(app:narrow)", builder -> builder.reliableWindow(1));
        bus.run(Duration.ofMillis(200)); // b greets the newcomer
        narrow.send(b.address(), Command.of("n", 1));
        narrow.send(b.address(), Command.of("n", 2)); // the next sends are a burst

        assertThatThrownBy(() -> narrow.sendReliable(b.address(), Command.of("n", 3, "\uD800")))
                .isInstanceOf(IllegalArgumentException.class);
        CompletableFuture<Void> next = CompletableFuture.supplyAsync(() -> narrow.sendReliable(b.address(), Command.of("n", 4)))
                .get(5, TimeUnit.SECONDS);
        bus.deliver();

        assertThat(next).isCompletedWithValue(null);
        assertThat(handled).containsExactly(1L, 2L, 4L);
    }

    @Test
    void withBatchingOffEverySendIsAMessageOfItsOwn() {
        MbusEntity single = bus.join("(app:single)", builder -> builder.batching(Batching.OFF));
        bus.deliver();
        List<MemoryNetwork.Packet> sent = Collections.synchronizedList(new ArrayList<>());
        bus.network.tap(packet -> {
            if (packet.from().equals(single.localEndpoint())) {
                sent.add(packet);
            }
        });

        for (long n = 0; n < 20; n++) {
            single.send(b.address(), Command.of("n", n));
        }

        assertThat(sent).hasSize(20);
        assertThat(single.stats().commandsSent()).isEqualTo(single.stats().sent());
    }

    @Test
    void closingSendsWhatWaitsInABatch() {
        a.send(b.address(), Command.of("n", 1));
        a.send(b.address(), Command.of("n", 2));

        a.close();
        bus.network.deliverAll();

        assertThat(handled).containsExactly(1L, 2L);
    }

    @Test
    void lingerIsBoundedByOneMillisecond() {
        assertThatThrownBy(() -> new Batching(Duration.ofMillis(2), 1500))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 ms");
        assertThat(Batching.DEFAULT.linger()).isLessThanOrEqualTo(Batching.MAX_LINGER);
        assertThat(Batching.OFF.enabled()).isFalse();
    }
}
