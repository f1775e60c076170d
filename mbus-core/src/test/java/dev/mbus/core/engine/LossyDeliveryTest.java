package dev.mbus.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.core.message.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reliable delivery through loss: every message exactly once, in the sender's order. */
class LossyDeliveryTest {

    /** Enough retransmissions that 20 % loss each way cannot exhaust them in 10,000 messages. */
    private static final ProtocolTimers PERSISTENT = ProtocolTimers.RFC.withRetransmissions(Duration.ofMillis(100), 12);

    /** Batches no larger than the UCL tools take: many datagrams, so that every way of losing one comes up. */
    private static final Batching SMALL_BATCHES = new Batching(Batching.DEFAULT.linger(), 1500, 1500);

    @ParameterizedTest(name = "seed {0}, batching {1}")
    @CsvSource({"1, false", "2, false", "1, true", "3, true"})
    void tenThousandReliableMessagesThroughTwentyPercentLossEachWay(long seed, boolean batching) {
        try (MemoryBus bus = new MemoryBus(seed)) {
            MbusEntity a = sendTenThousandThroughLoss(bus, batching ? SMALL_BATCHES : Batching.OFF);

            assertThat(bus.entities.get(1).stats().duplicates()).isPositive();
            assertThat(a.stats().retransmissions()).isPositive();
        }
    }

    @Test
    void tenThousandReliableMessagesInBatchesLargerThanFifteenHundredBytesThroughTwentyPercentLoss() {
        try (MemoryBus bus = new MemoryBus(4)) {
            MbusEntity a = sendTenThousandThroughLoss(bus, Batching.DEFAULT);

            assertThat(a.stats().retransmissions()).isPositive();
        }
    }

    /** Sends 10,000 reliable messages from a new entity to another through 20 % loss; checks each arrived once, in order. */
    private static MbusEntity sendTenThousandThroughLoss(MemoryBus bus, Batching batching) {
        MbusEntity a = bus.join("(app:a)", b -> b.timers(PERSISTENT).reliableWindow(256).batching(batching));
        MbusEntity b = bus.join("(app:b)", builder -> builder.timers(PERSISTENT));
        List<Long> delivered = MemoryBus.firstArguments(b, "seq");
        bus.deliver();
        bus.network.loss(0.2);

        List<CompletableFuture<Void>> outcomes = new ArrayList<>();
        int next = 0;
        for (int round = 0; round < 100_000 && delivered.size() < 10_000; round++) {
            while (next < 10_000 && a.stats().reliableInFlight() < 256) {
                outcomes.add(a.sendReliable(b.address(), Command.of("seq", next++)));
            }
            bus.run(MemoryBus.TICK);
        }
        bus.run(Duration.ofSeconds(10));

        assertThat(delivered).containsExactlyElementsOf(LongStream.range(0, 10_000).boxed().toList());
        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome).isCompleted());
        assertThat(bus.network.lost()).isPositive();
        return a;
    }

    /** Two entities whose bus will lose the next datagram a sends; b records the numbers it handles. */
    private static final class GapFixture implements AutoCloseable {
        final MemoryBus bus = new MemoryBus(5);
        final MbusEntity a = bus.join("(app:a)");
        final MbusEntity b = bus.join("(app:b)");
        final List<Long> delivered = MemoryBus.firstArguments(b, "n");

        GapFixture() {
            bus.deliver();
            bus.network.dropNextFrom(a.localEndpoint(), 1);
        }

        @Override
        public void close() {
            bus.close();
        }
    }

    @Test
    void messagesBehindAGapAreHeldUntilTheRetransmissionFillsIt() {
        try (GapFixture gap = new GapFixture()) {
            gap.a.sendReliable(gap.b.address(), Command.of("n", 1));
            gap.a.sendReliable(gap.b.address(), Command.of("n", 2));
            gap.a.sendReliable(gap.b.address(), Command.of("n", 3));
            gap.bus.deliver();
            assertThat(gap.delivered).isEmpty();

            gap.bus.run(Duration.ofMillis(110));

            assertThat(gap.delivered).containsExactly(1L, 2L, 3L);
        }
    }

    @Test
    void aGapNoRetransmissionWillFillIsGivenUpAfterTheHoldTime() {
        try (GapFixture gap = new GapFixture()) {
            gap.a.send(gap.b.address(), Command.of("n", 1));
            gap.a.sendReliable(gap.b.address(), Command.of("n", 2));
            gap.bus.deliver();
            gap.bus.run(ProtocolTimers.RFC.reorderHold(Duration.ofMillis(100)).minusMillis(20));
            assertThat(gap.delivered).isEmpty();

            gap.bus.run(Duration.ofMillis(40));

            assertThat(gap.delivered).containsExactly(2L);
        }
    }

    @Test
    void restartedSenderReusingItsAddressIsNotMistakenForDuplicates() {
        try (MemoryBus bus = new MemoryBus(9)) {
            MbusEntity receiver = bus.join("(app:receiver)");
            List<String> delivered = new ArrayList<>();
            receiver.subscribe("n", in -> delivered.add(in.source().get("id") + ":" + in.arg(0).asLong()));
            MbusEntity first = bus.join("(app:sender id:42-1@host)");
            bus.deliver();
            for (int i = 0; i < 5; i++) {
                first.sendReliable(receiver.address(), Command.of("n", i));
            }
            bus.deliver();
            bus.transportOf(first).close();
            bus.entities.remove(first);

            bus.run(Duration.ofMillis(200));
            MbusEntity second = bus.join("(app:sender id:42-1@host)");
            bus.run(Duration.ofMillis(20));
            CompletableFuture<Void> acked = second.sendReliable(receiver.address(), Command.of("n", 100));
            bus.deliver();

            assertThat(delivered).containsExactly("42-1@host:0", "42-1@host:1", "42-1@host:2", "42-1@host:3",
                    "42-1@host:4", "42-1@host:100");
            assertThat(acked).isCompleted();
        }
    }
}
